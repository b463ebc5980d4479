package cleanupctx_test

import (
	"fmt"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/cleanupctx"
)

// TestRelated checks what analysistest does not: the related positions of
// each finding of testdata/src/related, by line.
func TestRelated(t *testing.T) {
	want := map[int][]string{
		14: {"13: the cleanup is registered here", "16: stop uses stopCtx here"},
		23: {"22: the cleanup is registered here", "24: stop uses c here", "25: stop uses c here", "21: t.Context() is called here"},
		41: {"40: the cleanup is registered here", "30: t.Context() is called here"},
		51: {"50: the cleanup is registered here", "48: stop uses ctx here", "46: t.Context() is called here"},
		68: {"67: the cleanup is registered here", "62: h.t.Context() is called here"},
	}
	results := analysistest.Run(t, analysistest.TestData(), cleanupctx.Analyzer, "related")
	got := make(map[int][]string)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			line := r.Pass.Fset.Position(d.Pos).Line
			got[line] = []string{}
			for _, rel := range d.Related {
				got[line] = append(got[line], fmt.Sprintf("%d: %s", r.Pass.Fset.Position(rel.Pos).Line, rel.Message))
			}
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
