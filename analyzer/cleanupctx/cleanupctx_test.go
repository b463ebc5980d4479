package cleanupctx_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/cleanupctx"
	"github.com/testraces/testraces/internal/badcode"
)

// TestNoFixBeforeGo121 checks that a module whose go.mod says go 1.20 gets
// the finding and no fix: context.WithoutCancel is Go 1.21. (The GOPATH
// packages of TestAnalyzers have no Go version, and a //go:build line
// cannot lower a file's version below go1.21.) With a fix there would be
// edits and no .golden file to compare them with, which fails the test.
func TestNoFixBeforeGo121(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join("testdata", "go120"), cleanupctx.Analyzer, "./...")
}

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"context"
	"testing"
)

func TestBad(t *testing.T) {
	ctx, cancel := context.WithCancel(undefined)
	defer cancel()
	t.Cleanup(func() { missing(ctx); ctx.Nope(); t.Cleanup(nil...) })
	t.Cleanup(undefinedFunc)
	t.Cleanup(func() { drop(t.Context(), ) })
	var x = t.Context
	x()(1)
	t.Run("a", func() { t.Cleanup(func() { drop(t.Context()) }) })
	t.Cleanup(s.teardown)
}

func drop(ctx context.Context) error { return ctx.Err() }

func helper(t testing.TB, f func()) context.Context {
	t.Cleanup(f)
	return
}
`
	diags := badcode.Run(t, cleanupctx.Analyzer, src)
	if diags == 0 {
		t.Error("no finding for drop(t.Context()) in a cleanup: was the code checked at all?")
	}
}
