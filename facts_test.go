package testraces_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces"
	"github.com/testraces/testraces/internal/wantcheck"
)

// TestFacts checks the facts exported for helpers that other packages
// call, against the // want comments of the testdata packages that
// declare them, for the analyzers whose facts other analyzers read: the
// summaries and the listening helpers (internal analyzers, reached here
// through the analyzers that require them), and deferparallel's helpers
// that make other packages' tests parallel. It shares TestAnalyzers' load.
func TestFacts(t *testing.T) {
	t.Parallel()
	pkgs := loadedTestdata(t)
	for _, tc := range []struct {
		analyzer string
		dirs     []string
	}{
		{"testracessummary", []string{"testutil", "server", "gate", "fasthttplike", "fiberlike", "natslike", "registrylike", "retrylike", "fiberv3like", "nodelike", "buslike", "routerlike", "dialerlike", "watchlike", "childlike", "greeterpb", "batchlike", "mqttlike", "kitlike", "dnslike", "queuelike"}},
		{"testraceslistens", []string{"listens", "appserver"}},
		{"deferparallel", []string{"subtests"}},
	} {
		t.Run(tc.analyzer, func(t *testing.T) {
			t.Parallel()
			a := required(testraces.Declared(), tc.analyzer)
			if a == nil {
				t.Fatalf("no analyzer %s among the analyzers and what they require", tc.analyzer)
			}
			var roots []*packages.Package
			for _, dir := range tc.dirs {
				roots = append(roots, wantcheck.Under(pkgs, dir)...)
			}
			wantcheck.Run(t, analysistest.TestData(), a, roots, false)
		})
	}
}

// required finds the analyzer called name among analyzers and, at any
// depth, the analyzers they require.
func required(analyzers []*analysis.Analyzer, name string) *analysis.Analyzer {
	for _, a := range withRequirements(analyzers) {
		if a.Name == name {
			return a
		}
	}
	return nil
}
