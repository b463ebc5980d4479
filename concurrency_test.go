package testraces_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces"
)

// TestAnalyzersTogether runs every analyzer at once over every testdata
// package through the real driver, which runs the analyzers of a package
// concurrently, as the command, go vet and golangci-lint do: those that
// drivers run (Analyzers, with one analyzer declaring facts where the
// analyzers as declared have seven) and the analyzers as their packages
// declare them. analysistest runs one analyzer at a time and so cannot
// see state that they share and write; under go test -race (as CI runs
// it), this test fails on any such race. Both sets must report the same,
// diagnostics, related positions and fixes alike.
func TestAnalyzersTogether(t *testing.T) {
	t.Parallel()
	if n := factAnalyzers(testraces.Analyzers()); n != 1 {
		t.Errorf("drivers run %d analyzers that declare facts, want 1", n)
	}
	pkgs := loadedTestdata(t)
	want := reportedTogether(t, testraces.Declared(), pkgs)
	got := reportedTogether(t, testraces.Analyzers(), pkgs)
	for _, line := range want {
		if !slices.Contains(got, line) {
			t.Errorf("what drivers run does not report: %s", line)
		}
	}
	for _, line := range got {
		if !slices.Contains(want, line) {
			t.Errorf("what drivers run reports beyond the declared analyzers: %s", line)
		}
	}
}

// reportedTogether runs analyzers together over pkgs and returns a line
// for each diagnostic, with its analyzer, position, related positions and
// fixes, sorted. Each analyzer must report something.
func reportedTogether(t *testing.T, analyzers []*analysis.Analyzer, pkgs []*packages.Package) []string {
	t.Helper()
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
	}
	var lines []string
	reporting := make(map[string]bool)
	for _, act := range graph.Roots {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			reporting[act.Analyzer.Name] = true
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
	for _, a := range analyzers {
		if !reporting[a.Name] {
			t.Errorf("%s reported nothing on the testdata packages run together", a.Name)
		}
	}
	slices.Sort(lines)
	return lines
}

// factAnalyzers counts the analyzers among analyzers, and what they
// require at any depth, that declare facts.
func factAnalyzers(analyzers []*analysis.Analyzer) int {
	n := 0
	for _, a := range withRequirements(analyzers) {
		if len(a.FactTypes) > 0 {
			n++
		}
	}
	return n
}

// withRequirements returns analyzers and what they require at any depth,
// each once.
func withRequirements(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	var all []*analysis.Analyzer
	var visit func([]*analysis.Analyzer)
	visit = func(as []*analysis.Analyzer) {
		for _, a := range as {
			if !slices.Contains(all, a) {
				all = append(all, a)
				visit(a.Requires)
			}
		}
	}
	visit(analyzers)
	return all
}
