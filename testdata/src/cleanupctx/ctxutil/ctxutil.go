// Package ctxutil holds test helpers in another package than the tests,
// whose facts the tests use.
package ctxutil

import (
	"context"
	"testing"
	"time"

	"cleanupctx/store"
)

// Context returns the test's context with a timeout.
func Context(t testing.TB) context.Context { // want Context:"result=0:t=0"
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

type key struct{}

// WithTrace returns ctx with a trace id.
func WithTrace(ctx context.Context, id string) context.Context { // want WithTrace:"result=0:ctx=0"
	return context.WithValue(ctx, key{}, id)
}

// Defer registers f to run when the test ends.
func Defer(t testing.TB, f func()) { // want Defer:"cleanup=1:t=0"
	t.Helper()
	t.Cleanup(f)
}

// DeferErr registers f to run when the test ends, failing it on error.
func DeferErr(tb testing.TB, f func() error) { // want DeferErr:"cleanup=1:t=0"
	tb.Cleanup(func() {
		if err := f(); err != nil {
			tb.Error(err)
		}
	})
}

// StartDB opens a database that it drops when the test ends, with ctx.
func StartDB(t testing.TB, ctx context.Context) *store.DB { // want StartDB:"cleanupuse=1:t=0"
	db := store.Open(ctx)
	t.Cleanup(func() {
		_ = db.Drop(ctx, t.Name())
	})
	return db
}

// StartDBCtx passes its context on to StartDB.
func StartDBCtx(ctx context.Context, t *testing.T) *store.DB { // want StartDBCtx:"cleanupuse=0:t=1"
	return StartDB(t, ctx)
}

// StartDBDetached drops the database with a context that outlives the test.
func StartDBDetached(t testing.TB, ctx context.Context) *store.DB {
	db := store.Open(ctx)
	t.Cleanup(func() {
		_ = db.Drop(context.WithoutCancel(ctx), t.Name())
	})
	return db
}

// Background is not the test's context.
func Background(t testing.TB) context.Context {
	return context.Background()
}
