package cleanupctx

import (
	"context"
	"testing"
	"time"

	"cleanupctx/store"
)

func TestContextCalledInCleanup(t *testing.T) {
	t.Cleanup(func() {
		db.Drop(t.Context(), "s") // want `^t\.Context\(\) is cancelled before the cleanup runs \(it is cancelled just before Cleanup functions are called\), so db\.Drop fails with context canceled; pass context\.WithoutCancel\(t\.Context\(\)\)$`
	})
}

func TestContextVariable(t *testing.T) {
	ctx := t.Context()
	c := store.Start(ctx)
	t.Cleanup(func() {
		if err := c.Terminate(ctx); err != nil { // want `^ctx is cancelled before the cleanup runs \(t\.Context\(\) is cancelled just before Cleanup functions are called\), so c\.Terminate fails with context canceled; pass context\.WithoutCancel\(ctx\)$`
			t.Error(err)
		}
	})
}

func TestDerivedWithTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	t.Cleanup(func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs \(t\.Context\(\) is cancelled`
	})
}

type key struct{}

func TestDerivedWithValue(t *testing.T) {
	ctx := context.WithValue(t.Context(), key{}, "v")
	t.Cleanup(func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}

func TestClosureVariable(t *testing.T) {
	ctx := t.Context()
	cleanup := func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	}
	t.Cleanup(cleanup)
}

func TestNestedLiteralInCleanup(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		retry(func() error {
			return drop(ctx) // want `ctx is cancelled before the cleanup runs`
		})
	})
}

func TestAliasOfT(t *testing.T) {
	tb := testing.TB(t)
	ctx := tb.Context()
	t.Cleanup(func() {
		_ = drop(ctx) // want `tb\.Context\(\) is cancelled just before`
	})
}

func TestThroughTB(t *testing.T) {
	openSchema(t)
}

func openSchema(tb testing.TB) {
	ctx := tb.Context()
	tb.Cleanup(func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}

func TestSubtestContextInParentCleanup(t *testing.T) {
	t.Run("sub", func(st *testing.T) {
		ctx := st.Context()
		t.Cleanup(func() {
			_ = drop(ctx) // want `st\.Context\(\) is a subtest's context, cancelled when the subtest ends`
		})
	})
}

func BenchmarkContextInCleanup(b *testing.B) {
	ctx := b.Context()
	b.Cleanup(func() {
		_ = drop(ctx) // want `b\.Context\(\) is cancelled just before`
	})
}

func FuzzContextInCleanup(f *testing.F) {
	f.Cleanup(func() {
		_ = drop(f.Context()) // want `f\.Context\(\) is cancelled before the cleanup runs`
	})
}

type terminator interface {
	Terminate(ctx context.Context) error
}

func TestInterfaceMethod(t *testing.T) {
	var c terminator = store.Start(t.Context())
	t.Cleanup(func() {
		_ = c.Terminate(t.Context()) // want `so c\.Terminate may fail with context canceled`
	})
}

// The testing value copied to another variable is the same test's.
func TestTestingValueCopied(t *testing.T) {
	tt := t
	ctx := tt.Context()
	tt.Cleanup(func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}
