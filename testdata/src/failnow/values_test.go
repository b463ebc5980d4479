package failnow

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"buslike"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

// Function values reached through table fields, variables and helpers
// that hand them back.

func TestTableValidateInHandler(t *testing.T) {
	tests := []struct {
		name     string
		validate func(t *testing.T, r *http.Request)
	}{
		{"get", func(t *testing.T, r *http.Request) { require.Equal(t, "GET", r.Method) }},
		{"any", func(t *testing.T, r *http.Request) {}},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tt.validate(t, r) // want `tt.validate is called on an HTTP handler`
		}))
		http.Get(srv.URL)
		srv.Close()
	}
}

func TestTableValidateOnTestGoroutine(t *testing.T) {
	tests := []struct {
		validate func(t *testing.T)
	}{
		{func(t *testing.T) { require.True(t, true) }},
	}
	for _, tt := range tests {
		tt.validate(t)
	}
}

func newHelperServer(tb testing.TB) (start func()) {
	return func() {
		require.NoError(tb, work()) // want `require.NoError is called on a goroutine started at line 53`
	}
}

func TestHelperHandsBackStart(t *testing.T) {
	start := newHelperServer(t)
	go start()
}

func TestHelperHandsBackStartCalledHere(t *testing.T) {
	start := newHelperServer(t)
	start()
}

func mustPositive(t *testing.T, n int) {
	if n <= 0 {
		t.Fatalf("%d", n)
	}
}

func TestTableEntryClosesOverParentT(t *testing.T) {
	tests := []struct {
		name  string
		check func()
	}{
		{"a", func() { mustPositive(t, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(st *testing.T) {
			tt.check() // want `tt.check is called inside subtest tt.name \(line 75\), which runs on its own goroutine, on the parent's testing value t`
		})
	}
}

func TestCallbackInUnnamedFieldOfLibrary(t *testing.T) {
	var b buslike.Bus
	b.Subscribe(func(m *buslike.Msg) {
		require.Equal(t, "x", m.Data) // want `require.Equal is called on a goroutine`
	})
}

// A closure a factory hands back holds the testing value that call was
// given: the subtest's own, here (nats' expectUpdateF(t, w) in kv tests).
func TestFactoryClosureWithSubtestT(t *testing.T) {
	expectF := func(t *testing.T) func() {
		return func() { t.Fatal("x") }
	}
	t.Run("sub", func(t *testing.T) {
		e := expectF(t)
		e()
		expectF(t)()
		e = expectF(t)
		e()
	})
}

func expectTop(tb testing.TB) func() { return func() { tb.Fatal("x") } }

func TestTopLevelFactoryWithSubtestT(t *testing.T) {
	t.Run("sub", func(t *testing.T) {
		e := expectTop(t)
		e()
	})
}

type checks struct{ check func() }

// A struct's func field that a factory filled holds that call's values.
func TestFactoryStructFieldWithSubtestT(t *testing.T) {
	mk := func(t *testing.T) checks { return checks{check: func() { t.Fatal("x") }} }
	t.Run("sub", func(t *testing.T) {
		f := mk(t)
		f.check()
	})
}

// sarama's start(t, ...) returning stop, deferred in each subtest.
func BenchmarkFactoryClosureInSubBenchmark(b *testing.B) {
	mk := func(b *testing.B) func() { return func() { b.Fatal("x") } }
	b.Run("sub", func(b *testing.B) {
		stop := mk(b)
		defer stop()
	})
}

// The factory given the parent's t: the closure fails the parent.
func TestFactoryClosureWithParentT(t *testing.T) {
	expectF := func(tt *testing.T) func() {
		return func() { tt.Fatal("x") }
	}
	e := expectF(t)
	t.Run("sub", func(st *testing.T) {
		e() // want `e is called inside subtest "sub" \(line \d+\), which runs on its own goroutine, on the parent's testing value t`
	})
}

// Functions in a table the test ranges over: each element runs.
func TestRangedTableOfChecksOnGoroutines(t *testing.T) {
	checks := []func(){
		func() { t.Fatal("first") }, // want `t.Fatal is called on a goroutine started at line 150`
		func() { t.Log("second") },
	}
	for _, check := range checks {
		go check()
	}
}

func TestRangedTableRunByErrgroup(t *testing.T) {
	var g errgroup.Group
	for _, step := range []func() error{
		func() error { require.NoError(t, nil); return nil }, // want `require.NoError is called on a goroutine started by g.Go at line 159`
	} {
		g.Go(step)
	}
	g.Wait()
}

func TestAppendedHandlerCalledInGoroutine(t *testing.T) {
	var steps []func()
	steps = append(steps, func() { mustPositive(t, 0) })
	done := make(chan bool)
	go func() {
		defer close(done)
		for _, s := range steps {
			s() // want `s is called on a goroutine started at line 168`
		}
	}()
	<-done
}

func TestRangedTableOnTheTestGoroutine(t *testing.T) {
	for _, check := range []func(){func() { t.Fatal("here") }} {
		check()
	}
}

func TestTableWrittenByIndexIsNotFollowed(t *testing.T) {
	checks := []func(){func() {}}
	checks[0] = func() { t.Log("replaced") }
	for _, check := range checks {
		go check()
	}
}

// Functions sent on a channel that a worker goroutine receives and runs.
func TestJobsSentToAWorkerGoroutine(t *testing.T) {
	jobs := make(chan func(), 2)
	jobs <- func() { t.Fatal("job failed") }
	jobs <- func() { t.Log("job done") }
	close(jobs)
	done := make(chan bool)
	go func() {
		defer close(done)
		for job := range jobs {
			job() // want `job is called on a goroutine started at line 198`
		}
	}()
	<-done
}

// The worker runs its jobs on the test's goroutine: no finding.
func TestJobsRunOnTheTestGoroutine(t *testing.T) {
	jobs := make(chan func(), 1)
	jobs <- func() { t.Fatal("job failed") }
	close(jobs)
	for job := range jobs {
		job()
	}
}
