package deferparallel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/deferparallel"
)

// TestFacts checks the facts exported for helpers that make other
// packages' tests parallel (testdata/src/subtests). The analyzer's
// diagnostics are checked with the others' (TestAnalyzers, at the root).
func TestFacts(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, deferparallel.Analyzer, "subtests")
}
