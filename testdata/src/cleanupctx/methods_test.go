package cleanupctx

import (
	"context"
	"testing"

	"cleanupctx/store"
)

// A harness's methods are test helpers. Their facts number the receiver
// as operand 0, the parameters from 1.
type harness struct{ db *store.DB }

func (h *harness) register(t *testing.T, f func()) { // want register:"cleanup=2:t=1"
	t.Cleanup(f)
}

func (h *harness) derived(t *testing.T) context.Context { // want derived:"result=0:t=1"
	return context.WithValue(t.Context(), key{}, "h")
}

func (h *harness) openDB(t *testing.T, ctx context.Context) { // want openDB:"cleanupuse=2:t=1"
	t.Cleanup(func() {
		_ = h.db.Drop(ctx, "h")
	})
}

func TestMethodHelperRegisters(t *testing.T) {
	h := &harness{}
	ctx := t.Context()
	h.register(t, func() {
		_ = drop(ctx) // want `ctx is cancelled before the cleanup runs`
	})
}

func TestMethodHelperReturnsContext(t *testing.T) {
	h := &harness{}
	ctx := h.derived(t)
	t.Cleanup(func() {
		_ = drop(ctx) // want `derived derives it from t\.Context\(\)`
	})
}

func TestMethodHelperUsesContextInCleanup(t *testing.T) {
	h := &harness{}
	h.openDB(t, t.Context()) // want `but openDB uses it in a cleanup it registers on t`
}

// A method expression passes the receiver as its first argument: operand
// 0 as well.
func TestMethodExpressionUsesContextInCleanup(t *testing.T) {
	(*harness).openDB(&harness{}, t, t.Context()) // want `but openDB uses it in a cleanup it registers on t`
}
