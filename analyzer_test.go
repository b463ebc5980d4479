package testraces_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces"
)

// TestAnalyzers runs every analyzer over its testdata package, checking
// its diagnostics against the // want comments and its fixes against the
// .golden files.
func TestAnalyzers(t *testing.T) {
	for _, a := range testraces.Analyzers() {
		t.Run(a.Name, func(t *testing.T) {
			analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), a, a.Name)
		})
	}
}
