package main

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces"
)

// TestStandaloneTypeError runs the command on a module where one package
// (with an internal and an external test) does not type-check: its error
// is printed once, though go/packages checks the file twice (bad and its
// test variant), one line says the package was not analysed, no analyzer
// reports "failed prerequisites", and the package beside it is analysed.
func TestStandaloneTypeError(t *testing.T) {
	out, status := runBroken(t)
	if status != 1 {
		t.Errorf("exit status %d, want 1 (errors, though there are findings too)\n%s", status, out)
	}
	for _, want := range []string{
		`bad/bad.go:4:23: cannot use "x" (untyped string constant) as int value in return statement`,
		"testraces: broken/bad not analysed (errors above)",
		"racy/racy_test.go:12:3: t.Fatal is called on a goroutine started by wg.Go",
	} {
		if n := strings.Count(out, want); n != 1 {
			t.Errorf("%q printed %d times, want once:\n%s", want, n, out)
		}
	}
	if strings.Contains(out, "broken/racy not analysed") {
		t.Errorf("the package beside it is said not analysed:\n%s", out)
	}
	if strings.Contains(out, "failed prerequisites") || strings.Contains(out, "analysis skipped") {
		t.Errorf("an error per analyzer:\n%s", out)
	}
}

// TestStandaloneBrokenTests runs the command on a package whose test
// files alone do not type-check: the package is analysed without them,
// and one line says its tests were not.
func TestStandaloneBrokenTests(t *testing.T) {
	out, status := runBroken(t)
	if status != 1 {
		t.Errorf("exit status %d, want 1\n%s", status, out)
	}
	for _, want := range []string{
		`badtests/badtests_test.go:3:13: cannot use "x"`,
		"testraces: tests of broken/badtests not analysed (errors above)",
		"badtests/badtests.go:9:3: t.Fatal is called on a goroutine started at line 8",
	} {
		if n := strings.Count(out, want); n != 1 {
			t.Errorf("%q printed %d times, want once:\n%s", want, n, out)
		}
	}
	if strings.Count(out, "broken/badtests not analysed") != 1 {
		t.Errorf("not one line says that badtests' tests were not analysed:\n%s", out)
	}
}

// runBroken runs the command once in testdata/broken, on its three
// packages, and returns its standard error, where its text goes, and its
// exit status: one run for the tests that read it, as each load
// type-checks the standard library from source (seconds under -race).
func runBroken(t *testing.T) (string, int) {
	t.Helper()
	brokenRun.once.Do(func() {
		t.Chdir("testdata/broken")
		t.Setenv("GOWORK", "off")
		t.Setenv("GOFLAGS", "")
		var stdout, stderr bytes.Buffer
		brokenRun.status = runStandalone([]string{"./bad", "./racy", "./badtests"}, &stdout, &stderr)
		brokenRun.stdout, brokenRun.stderr = stdout.String(), stderr.String()
	})
	if brokenRun.stdout != "" {
		t.Errorf("text output on stdout: %s", brokenRun.stdout)
	}
	return brokenRun.stderr, brokenRun.status
}

var brokenRun struct {
	once           sync.Once
	stdout, stderr string
	status         int
}

func TestRelativePos(t *testing.T) {
	for _, tc := range []struct{ pos, want string }{
		{"/work/m/a_test.go:12:2", "a_test.go:12:2"},
		{"/work/m/sub/a.go:1", "sub/a.go:1"},
		{"/work/mo/a.go:1:2", "../mo/a.go:1:2"},
		{"/w/a.go:1:2", "/w/a.go:1:2"}, // ../../w/a.go is longer
		{"/dev/null:1:1", "/dev/null:1:1"},
		{"/work/m/a.go", "a.go"},
		{"a/work/m/a.go:1:1", "a/work/m/a.go:1:1"},
		{"-", "-"},
	} {
		if got := relativePos(tc.pos, "/work/m"); got != tc.want {
			t.Errorf("relativePos(%q) = %q, want %q", tc.pos, got, tc.want)
		}
	}
}

func TestSelectAnalyzers(t *testing.T) {
	all := testraces.Analyzers()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "aftertest,cleanupctx,deferparallel,failnow,fixedport,serverready"},
		{[]string{"-deferparallel=false"}, "aftertest,cleanupctx,failnow,fixedport,serverready"},
		{[]string{"-failnow", "-serverready"}, "failnow,serverready"},
		{[]string{"-failnow", "-serverready=false"}, "failnow"},
		{[]string{"-failnow=true"}, "failnow"},
	} {
		o, _, ok := parseOptions(append(tc.args, "./..."), &bytes.Buffer{})
		if !ok {
			t.Errorf("parseOptions(%q) failed", tc.args)
			continue
		}
		if got := names(o.analyzers); got != tc.want {
			t.Errorf("%q selects %s, want %s", tc.args, got, tc.want)
		}
		if len(o.all) != len(all) || !slices.Equal(o.args, []string{"./..."}) {
			t.Errorf("%q: all %s, args %q", tc.args, names(o.all), o.args)
		}
	}
}

func names(analyzers []*analysis.Analyzer) string {
	var s []string
	for _, a := range analyzers {
		s = append(s, a.Name)
	}
	return strings.Join(s, ",")
}

func TestParseOptionsVet(t *testing.T) {
	o, _, ok := parseOptions([]string{"-json", "-vet", "-printf=false", "-fix", "./..."}, &bytes.Buffer{})
	if !ok {
		t.Fatal("parseOptions failed")
	}
	if !o.json || !o.fix || !o.tests || !slices.Equal(o.fixArgs, []string{"-json", "-printf=false", "-fix", "./..."}) {
		t.Errorf("options %+v", o)
	}
	if n := names(o.analyzers); !strings.Contains(n, "copylocks") || strings.Contains(n, "printf") || strings.Contains(n, "testinggoroutine") {
		t.Errorf("-vet -printf=false selects %s", n)
	}
	var stderr bytes.Buffer
	if _, status, ok := parseOptions([]string{"-printf=false", "./..."}, &stderr); ok || status != 2 {
		t.Errorf("-printf without -vet: ok %v, status %d, want a bad flag", ok, status)
	}
	stderr.Reset()
	if _, status, ok := parseOptions([]string{"-help"}, &stderr); ok || status != 0 || !strings.Contains(stderr.String(), "-vet") {
		t.Errorf("-help: ok %v, status %d, want 0 and a list of flags with -vet:\n%s", ok, status, stderr.String())
	}
}

func TestCutVetFlag(t *testing.T) {
	for _, tc := range []struct {
		args, rest []string
		vet, err   bool
	}{
		{args: []string{"./..."}, rest: []string{"./..."}},
		{args: []string{"-vet", "./..."}, rest: []string{"./..."}, vet: true},
		{args: []string{"-json", "--vet", "-deferparallel=false", "./..."}, rest: []string{"-json", "-deferparallel=false", "./..."}, vet: true},
		{args: []string{"-vet=false", "./..."}, rest: []string{"./..."}},
		{args: []string{"-vet=maybe", "./..."}, err: true},
		{args: []string{"-c", "2", "-vet", "p"}, rest: []string{"-c", "2", "p"}, vet: true},
		{args: []string{"--", "-vet"}, rest: []string{"--", "-vet"}},
		{args: []string{"-vettool"}, rest: []string{"-vettool"}},
	} {
		rest, vet, err := cutVetFlag(tc.args)
		if (err != nil) != tc.err || vet != tc.vet || !tc.err && !slices.Equal(rest, tc.rest) {
			t.Errorf("cutVetFlag(%q) = %q, %v, %v; want %q, %v, error %v", tc.args, rest, vet, err, tc.rest, tc.vet, tc.err)
		}
	}
}

func TestVetToolMode(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-deferparallel=false", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, false},
		{nil, false},
	} {
		if got := vetToolMode(tc.args); got != tc.want {
			t.Errorf("vetToolMode(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
