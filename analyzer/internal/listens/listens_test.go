package listens_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/internal/listens"
)

// TestFacts checks which operands the helpers are said to listen on.
func TestFacts(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, listens.Analyzer, "listens", "appserver")
}
