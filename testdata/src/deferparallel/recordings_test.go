package deferparallel

import (
	"os"
	"os/exec"
	"testing"
)

// Golden-file tests that keep the command recording an exchange next to
// what replays it (crypto/tls's serverTest): the subtests are parallel
// only when they replay, and only the update, which is never parallel,
// runs the command that reads the file the test removes.

type recording struct {
	name    string
	command []string
}

// replay replays the recorded exchange or, when write is set, records it
// anew with the command.
func (r *recording) replay(t *testing.T, write bool) {
	if write {
		exec.Command(r.command[0], r.command[1:]...).Run()
		return
	}
	os.ReadFile(r.path())
}

func (r *recording) path() string { return "testdata/" + r.name }

// record is replay that records when there is nothing to replay: write is
// not what the caller passed by the time it is tested.
func (r *recording) record(t *testing.T, write bool) {
	if _, err := os.Stat(r.path()); err != nil {
		write = true
	}
	r.replay(t, write)
	if write {
		exec.Command(r.command[0], r.command[1:]...).Run()
	}
}

func runRecording(t *testing.T, template *recording) {
	rec := *template
	rec.name = "v1-" + rec.name
	if len(rec.command) == 0 {
		rec.command = []string{"openssl"}
	}
	rec.command = append([]string(nil), rec.command...)
	replayOrUpdate(t, rec.name, rec.replay)
}

func replayOrUpdate(t *testing.T, name string, run func(t *testing.T, write bool)) {
	ok := t.Run(name, func(t *testing.T) {
		if !*update {
			t.Parallel()
		}
		run(t, false)
	})
	if !ok && *update {
		t.Run(name+"#update", func(t *testing.T) {
			run(t, true)
		})
	}
}

// The session file is read only by the command, which only the update
// runs; the parallel subtests replay.
func TestSessionFileReadOnlyWhenUpdating(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session)
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	runRecording(t, issue)
}

func TestSessionFileInLiteralReadOnlyWhenUpdating(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session)
	runRecording(t, &recording{name: "issue", command: []string{"openssl", "-sess_out", session}})
}

func TestRecordingReplayedInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session)
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	t.Run("replay", func(t *testing.T) {
		t.Parallel()
		issue.replay(t, false)
	})
}

// The parallel subtest reads only the name, which the file is not in.
func TestRecordingNameReadInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session)
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	t.Run("name", func(t *testing.T) {
		t.Parallel()
		os.ReadFile(issue.path())
	})
}

func recordInParallel(t *testing.T, name string, run func(t *testing.T, write bool)) {
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		run(t, true)
	})
}

func runRecordingInParallel(t *testing.T, template *recording) {
	rec := *template
	recordInParallel(t, rec.name, rec.replay)
}

// The parallel subtests record: the command reads the removed file.
func TestSessionFileRecordedInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session) // want `os.Remove is deferred, but the parallel subtests started by runRecordingInParallel use issue and run after TestSessionFileRecordedInParallel returns; use t.Cleanup`
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	runRecordingInParallel(t, issue)
}

func runRecordingOrRecord(t *testing.T, template *recording) {
	rec := *template
	replayOrUpdate(t, rec.name, rec.record)
}

// record assigns write before it tests it: the parallel subtests may run
// the command.
func TestSessionFileRecordedWhenMissing(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session) // want `os.Remove is deferred, but the parallel subtests started by runRecordingOrRecord use issue`
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	runRecordingOrRecord(t, issue)
}

func replayOrUpdateInParallel(t *testing.T, name string, run func(t *testing.T, write bool)) {
	ok := t.Run(name, func(t *testing.T) {
		if !*update {
			t.Parallel()
		}
		run(t, false)
	})
	if !ok && *update {
		t.Run(name+"#update", func(t *testing.T) {
			t.Parallel()
			run(t, true)
		})
	}
}

func runRecordingUpdatedInParallel(t *testing.T, template *recording) {
	rec := *template
	replayOrUpdateInParallel(t, rec.name, rec.replay)
}

// The update is parallel too: under -update it records after the test
// function returned.
func TestSessionFileUpdatedInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session) // want `os.Remove is deferred, but the parallel subtests started by runRecordingUpdatedInParallel use issue`
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	runRecordingUpdatedInParallel(t, issue)
}

func TestRecordingRecordedInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session) // want `os.Remove is deferred, but parallel subtest "record" uses issue`
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	t.Run("record", func(t *testing.T) {
		t.Parallel()
		issue.replay(t, true)
	})
}

func TestRecordingCommandReadInParallel(t *testing.T) {
	session := os.TempDir() + "/session"
	defer os.Remove(session) // want `os.Remove is deferred, but parallel subtest "command" uses issue`
	issue := &recording{name: "issue", command: []string{"openssl", "-sess_out", session}}
	t.Run("command", func(t *testing.T) {
		t.Parallel()
		exec.Command(issue.command[0], issue.command[1:]...).Run()
	})
}
