package testraces_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/testraces/testraces"
)

// TestOneFactAnalyzer checks that what drivers run reports what the
// analyzers as declared report, diagnostics, related positions and fixes
// alike, over every testdata package, with one analyzer declaring facts
// where the declared analyzers have seven.
func TestOneFactAnalyzer(t *testing.T) {
	t.Parallel()
	if n := factAnalyzers(testraces.Analyzers()); n != 1 {
		t.Errorf("drivers run %d analyzers that declare facts, want 1", n)
	}
	pkgs := loadedTestdata(t)
	declared, err := checker.Analyze(testraces.Declared(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := checker.Analyze(testraces.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, got := reported(t, declared), reported(t, run)
	if len(want) == 0 {
		t.Fatal("the declared analyzers reported nothing on the testdata packages")
	}
	for _, line := range want {
		if !slices.Contains(got, line) {
			t.Errorf("missing: %s", line)
		}
	}
	for _, line := range got {
		if !slices.Contains(want, line) {
			t.Errorf("unexpected: %s", line)
		}
	}
}

// factAnalyzers counts the analyzers among analyzers, and what they
// require at any depth, that declare facts.
func factAnalyzers(analyzers []*analysis.Analyzer) int {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer)
	visit = func(as []*analysis.Analyzer) {
		for _, a := range as {
			if !seen[a] {
				seen[a] = true
				visit(a.Requires)
			}
		}
	}
	visit(analyzers)
	n := 0
	for a := range seen {
		if len(a.FactTypes) > 0 {
			n++
		}
	}
	return n
}

// reported returns a line for each diagnostic of the graph's root
// actions, with its analyzer, position, related positions and fixes,
// sorted.
func reported(t *testing.T, graph *checker.Graph) []string {
	var lines []string
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			var b strings.Builder
			fmt.Fprintf(&b, "%s: %s: %s", act.Analyzer.Name, fset.Position(d.Pos), d.Message)
			for _, r := range d.Related {
				fmt.Fprintf(&b, "; related %s: %s", fset.Position(r.Pos), r.Message)
			}
			for _, f := range d.SuggestedFixes {
				fmt.Fprintf(&b, "; fix %q:", f.Message)
				for _, e := range f.TextEdits {
					fmt.Fprintf(&b, " %s-%s %q", fset.Position(e.Pos), fset.Position(e.End), e.NewText)
				}
			}
			lines = append(lines, b.String())
		}
	}
	slices.Sort(lines)
	return lines
}
