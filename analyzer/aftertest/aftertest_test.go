package aftertest_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/aftertest"
)

// TestAnalyzer runs the analyzer over its cases (TestAnalyzers of the
// module runs them too, with every analyzer's).
func TestAnalyzer(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, dir, aftertest.Analyzer, "aftertest/...")
}

// TestAddDoneBeforeGo125 checks the fix of a module whose go.mod says go
// 1.24, which has no sync.WaitGroup.Go: wg.Add(1) and defer wg.Done(),
// and no fix when the goroutine's body shares the line of its brace.
func TestAddDoneBeforeGo125(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join("testdata", "go124"), aftertest.Analyzer, "./...")
}
