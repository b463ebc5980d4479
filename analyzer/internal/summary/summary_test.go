package summary_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/internal/summary"
)

// TestFacts checks the facts exported for helpers that other packages call.
func TestFacts(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, summary.Analyzer, "testutil", "server", "gate", "fasthttplike", "fiberlike", "natslike", "registrylike", "retrylike", "fiberv3like", "nodelike", "buslike", "routerlike", "dialerlike", "watchlike", "childlike", "greeterpb")
}
