package fixedport_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/fixedport"
)

// TestFixedport runs the analyzer over its testdata, fixes and all (the
// root TestAnalyzers runs every analyzer; this one runs alone, quickly).
func TestFixedport(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, testdata, fixedport.Analyzer, "fixedport/...")
}
