package cleanupctx_test

import (
	"strings"
	"testing"

	"github.com/testraces/testraces/analyzer/cleanupctx"
	"github.com/testraces/testraces/internal/badcode"
)

// TestNoFixBeforeGo121 checks that a file of Go 1.20, as a go.mod's go line
// makes it, gets the finding and no fix: context.WithoutCancel is Go 1.21.
// (The GOPATH packages of TestAnalyzers have no Go version, and a
// //go:build line cannot lower a file's version below go1.21.)
func TestNoFixBeforeGo121(t *testing.T) {
	const src = `package bad

import (
	"context"
	"testing"
)

func drop(ctx context.Context) error { return ctx.Err() }

func TestOldGoVersion(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}
`
	diags := badcode.RunAtVersion(t, cleanupctx.Analyzer, src, "go1.20")
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "cancel is deferred in TestOldGoVersion") {
		t.Fatalf("diagnostics %v, want one that says cancel is deferred in TestOldGoVersion", diags)
	}
	if fixes := diags[0].SuggestedFixes; len(fixes) != 0 {
		t.Errorf("%d fixes at Go 1.20, want none", len(fixes))
	}
	// The same file at Go 1.21 has the fix: the version is what withholds it.
	if diags := badcode.RunAtVersion(t, cleanupctx.Analyzer, src, "go1.21"); len(diags) != 1 || len(diags[0].SuggestedFixes) == 0 {
		t.Errorf("at Go 1.21: diagnostics %v, want one with a fix", diags)
	}
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
