package main

import (
	"slices"
	"testing"
)

func TestRelativeLine(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"/work/m/a_test.go:12:2: ts.Close is deferred\n", "a_test.go:12:2: ts.Close is deferred\n"},
		{"/work/m/sub/a.go:1:2: x\n", "sub/a.go:1:2: x\n"},
		{"/work/mo/a.go:1:2: x\n", "../mo/a.go:1:2: x\n"},
		{"/w/a.go:1:2: x\n", "/w/a.go:1:2: x\n"}, // ../../w/a.go is longer
		{"/work/m/a.go:3:1: \tthe subtest becomes parallel here\n", "a.go:3:1: \tthe subtest becomes parallel here\n"},
		{"-: could not import /work/m/b (cycle)\n", "-: could not import b (cycle)\n"},
		{"/dev/null:1:1: far away\n", "/dev/null:1:1: far away\n"}, // ../../dev/null is longer
		{"a/work/m/a.go:1:1: not absolute\n", "a/work/m/a.go:1:1: not absolute\n"},
		{"no path here\n", "no path here\n"},
		{"/work/m/a.go", "a.go"},
	} {
		if got := relativeLine(tc.line, "/work/m"); got != tc.want {
			t.Errorf("relativeLine(%q) = %q, want %q", tc.line, got, tc.want)
		}
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

func TestAsksHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-help"}, true},
		{[]string{"-json", "-h"}, true},
		{[]string{"./...", "-help"}, false},
		{[]string{"./..."}, false},
	} {
		if got := asksHelp(tc.args); got != tc.want {
			t.Errorf("asksHelp(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
