package cleanupctx

import (
	"context"
	"testing"

	"cleanupctx/ctxutil"
	"cleanupctx/store"
)

func TestHelperRegisters(t *testing.T) {
	ctx := t.Context()
	ctxutil.Defer(t, func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}

func TestHelperRegistersErr(t *testing.T) {
	ctxutil.DeferErr(t, func() error {
		return drop(t.Context()) // want `t\.Context\(\) is cancelled before the cleanup runs`
	})
}

func TestLocalHelperRegisters(t *testing.T) {
	ctx := t.Context()
	onCleanup(t, func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}

func onCleanup(t *testing.T, f func()) { // want onCleanup:"cleanup=1:t=0"
	t.Cleanup(func() { f() })
}

func TestHelperReturnsContext(t *testing.T) {
	ctx := ctxutil.Context(t)
	t.Cleanup(func() {
		_ = drop(ctx) // want `^ctx is cancelled before the cleanup runs \(Context derives it from t\.Context\(\), which is cancelled just before Cleanup functions are called\), so drop fails`
	})
}

func TestLocalHelperReturnsContext(t *testing.T) {
	ctx := testContext(t)
	t.Cleanup(func() {
		_ = drop(ctx) // want `testContext derives it from t\.Context\(\)`
	})
}

func testContext(t *testing.T) context.Context { // want testContext:"result=0:t=0"
	return ctxutil.WithTrace(t.Context(), t.Name())
}

func TestHelperDerivesContext(t *testing.T) {
	ctx := ctxutil.WithTrace(t.Context(), "id")
	t.Cleanup(func() {
		_ = drop(ctx) // want `t\.Context\(\) is cancelled just before`
	})
}

func TestHelperUsesContextInCleanup(t *testing.T) {
	ctxutil.StartDB(t, t.Context()) // want `^t\.Context\(\) is cancelled before the cleanups run \(it is cancelled just before Cleanup functions are called\), but StartDB uses it in a cleanup it registers on t, which fails with context canceled`
}

func TestHelperUsesContextInCleanupTwoDeep(t *testing.T) {
	ctx := t.Context()
	ctxutil.StartDBCtx(ctx, t) // want `ctx is cancelled before the cleanups run .* but StartDBCtx uses it in a cleanup`
}

func TestMethodValue(t *testing.T) {
	f := &fixture{ctx: t.Context()}
	t.Cleanup(f.teardown)
}

type fixture struct {
	ctx context.Context
	db  *store.DB
}

func (f *fixture) teardown() {
	_ = f.db.Drop(f.ctx, "s") // want `f\.ctx is cancelled before the cleanup runs \(t\.Context\(\) is cancelled`
}

type env struct {
	ctx context.Context
	db  *store.DB
}

func newEnv(t *testing.T) *env {
	e := &env{}
	e.ctx = t.Context()
	e.db = store.Open(e.ctx)
	t.Cleanup(func() {
		_ = e.db.Drop(e.ctx, "s") // want `e\.ctx is cancelled before the cleanup runs`
	})
	return e
}

func TestNamedFunction(t *testing.T) {
	t.Cleanup(dropAll)
}

func dropAll() {
	_ = drop(context.Background())
}
