package testraces_test

import (
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/testraces/testraces/analyzer/cleanupctx"
	"github.com/testraces/testraces/analyzer/fixedport"
	"github.com/testraces/testraces/internal/wantcheck"
)

// The tests of this file check what // want comments cannot: the related
// positions of findings. They share TestAnalyzers' load.

// TestRelatedFixedPort checks the other places that listen on the same
// port, in the package and in the packages it imports (testutil), and
// where a server's address is set.
func TestRelatedFixedPort(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"helpers_test.go:95": {"listens_test.go:81: this test listens on port 9090 too", "testutil.go:30: test code of an imported package listens on port 9090 too"},
		"listens_test.go:81": {"helpers_test.go:95: this test listens on port 9090 too", "testutil.go:30: test code of an imported package listens on port 9090 too"},
		"listens_test.go:60": {"listens_test.go:59: the server's address is set here"},
		"listens_test.go:66": {"listens_test.go:65: the server's address is set here"},
		// TCP and UDP 4433 do not collide.
		"frameworks_test.go:62": {},
		"listens_test.go:103":   {},
		"helpers_test.go:79":    {},
		"helpers_test.go:80":    {},
	}
	got := make(map[string][]string)
	for fset, d := range findings(t, fixedport.Analyzer, "fixedport") {
		at := fileLine(fset.Position(d.Pos))
		if want[at] == nil {
			continue
		}
		got[at] = []string{}
		for _, rel := range d.Related {
			got[at] = append(got[at], fileLine(fset.Position(rel.Pos))+": "+rel.Message)
		}
	}
	for at, w := range want {
		if g, ok := got[at]; !ok {
			t.Errorf("%s: no finding", at)
		} else if !slices.Equal(g, w) {
			t.Errorf("%s: related\n\t%q\nwant\n\t%q", at, got[at], w)
		}
	}
}

// TestRelatedCleanupCtx checks the related positions of each finding of
// testdata/src/cleanupctx/related, by line.
func TestRelatedCleanupCtx(t *testing.T) {
	t.Parallel()
	want := map[int][]string{
		14: {"13: the cleanup is registered here", "16: stop uses stopCtx here"},
		23: {"22: the cleanup is registered here", "24: stop uses c here", "25: stop uses c here", "21: t.Context() is called here"},
		41: {"40: the cleanup is registered here", "30: t.Context() is called here"},
		51: {"50: the cleanup is registered here", "48: stop uses ctx here", "46: t.Context() is called here"},
		68: {"67: the cleanup is registered here", "62: h.t.Context() is called here"},
	}
	got := make(map[int][]string)
	for fset, d := range findings(t, cleanupctx.Analyzer, "cleanupctx/related") {
		line := fset.Position(d.Pos).Line
		got[line] = []string{}
		for _, rel := range d.Related {
			got[line] = append(got[line], fmt.Sprintf("%d: %s", fset.Position(rel.Pos).Line, rel.Message))
		}
	}
	for line, w := range want {
		if !slices.Equal(got[line], w) {
			t.Errorf("line %d: related\n\t%q\nwant\n\t%q", line, got[line], w)
		}
	}
	for line := range got {
		if want[line] == nil {
			t.Errorf("line %d: a finding the test does not expect", line)
		}
	}
}

// findings runs a over the testdata packages under dir and yields its
// diagnostics, with the file set of their positions.
func findings(t *testing.T, a *analysis.Analyzer, dir string) func(func(*token.FileSet, analysis.Diagnostic) bool) {
	t.Helper()
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, wantcheck.Under(loadedTestdata(t), dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	return func(yield func(*token.FileSet, analysis.Diagnostic) bool) {
		for _, act := range graph.Roots {
			for _, d := range act.Diagnostics {
				if !yield(act.Package.Fset, d) {
					return
				}
			}
		}
	}
}

// fileLine shows a position as base name and line.
func fileLine(posn token.Position) string {
	return fmt.Sprintf("%s:%d", filepath.Base(posn.Filename), posn.Line)
}
