package testraces_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/checker"

	"github.com/testraces/testraces"
)

// TestAnalyzersTogether runs every analyzer at once over every testdata
// package through the real driver, which runs the analyzers of a package
// concurrently, as the command, go vet and golangci-lint do. analysistest
// runs one analyzer at a time and so cannot see state that they share and
// write; under go test -race (as CI runs it), this test fails on any such
// race.
func TestAnalyzersTogether(t *testing.T) {
	t.Parallel()
	pkgs := loadedTestdata(t)
	graph, err := checker.Analyze(testraces.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	diagnostics := make(map[string]int)
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		diagnostics[act.Analyzer.Name] += len(act.Diagnostics)
	}
	for _, a := range testraces.Analyzers() {
		if diagnostics[a.Name] == 0 {
			t.Errorf("%s reported nothing on the testdata packages run together", a.Name)
		}
	}
}
