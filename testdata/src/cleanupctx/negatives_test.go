package cleanupctx

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"cleanupctx/ctxutil"
	"cleanupctx/store"
)

func TestWithoutCancel(t *testing.T) {
	ctx := context.WithoutCancel(t.Context())
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestWithoutCancelInCleanup(t *testing.T) {
	t.Cleanup(func() {
		_ = drop(context.WithoutCancel(t.Context()))
	})
}

func TestBackground(t *testing.T) {
	t.Cleanup(func() {
		_ = drop(context.Background())
		_ = drop(context.TODO())
	})
}

func TestContextInBody(t *testing.T) {
	_ = drop(t.Context())
}

func TestParentContextInSubtestCleanup(t *testing.T) {
	ctx := t.Context()
	t.Run("sub", func(t *testing.T) {
		t.Cleanup(func() {
			_ = drop(ctx)
		})
	})
}

func TestParentTInSubtestCleanup(t *testing.T) {
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(func() {
			_ = drop(t.Context())
		})
	})
}

func otherTest(t1, t2 *testing.T) {
	ctx := t1.Context()
	t2.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestCancelDeferredInParent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Run("sub", func(t *testing.T) {
		t.Cleanup(func() {
			_ = drop(ctx)
		})
	})
}

func TestCancelRegisteredFirst(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestCancelDeferredConditionally(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	if testing.Short() {
		defer cancel()
	}
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestContextMethods(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		if ctx.Err() != nil {
			return
		}
		<-ctx.Done()
		_ = ctx.Value(key{})
	})
}

func TestValueReaders(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		slog.InfoContext(ctx, "cleaning up")
		slog.Default().InfoContext(ctx, "cleaning up")
		_ = context.Cause(ctx)
		t.Log(ctx)
	})
}

func TestReassigned(t *testing.T) {
	ctx := t.Context()
	ctx = context.WithoutCancel(ctx)
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestOneOriginLive(t *testing.T) {
	ctx := t.Context()
	if testing.Short() {
		ctx = context.Background()
	}
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func withContext(t *testing.T, ctx context.Context) { // want withContext:"cleanupuse=1:t=0"
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

var sharedCtx = context.Background()

func TestPackageLevel(t *testing.T) {
	t.Cleanup(func() {
		_ = drop(sharedCtx)
	})
}

func TestHelperBackground(t *testing.T) {
	ctx := ctxutil.Background(t)
	t.Cleanup(func() {
		_ = drop(ctx)
	})
	ctxutil.StartDB(t, context.Background())
	ctxutil.StartDBDetached(t, t.Context())
}

func TestHelperUsesContextInBody(t *testing.T) {
	ctxutil.StartDB(t, ctxutil.WithTrace(context.Background(), "x"))
}

func TestRegisteredInGoroutineLiteral(t *testing.T) {
	ctx := t.Context()
	register := func() {}
	t.Cleanup(register)
	_ = ctx
}

// forget takes a context it never reads.
func forget(ctx context.Context, name string) {}

func TestCalleeIgnoresContext(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		_ = new(store.Container).Stop(ctx)
		forget(ctx, "x")
	})
}

type stopper interface {
	Stop(ctx context.Context) error
}

type quietStopper struct{}

func (quietStopper) Stop(context.Context) error { return nil }

func newStopper() (stopper, error) {
	if testing.Short() {
		return nil, nil
	}
	return &quietStopper{}, nil
}

func TestConcreteTypeIgnoresContext(t *testing.T) {
	s, _ := newStopper()
	t.Cleanup(func() {
		_ = s.Stop(t.Context())
	})
}

// ctx has the caller's value on one path.
func withDefaultContext(t *testing.T, ctx context.Context) {
	if ctx == nil {
		ctx = t.Context()
	}
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

// ctx is detached before the cleanup uses it: no fact.
func detached(t *testing.T, ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	t.Cleanup(func() {
		_ = drop(ctx)
	})
}

func TestDetachedHelper(t *testing.T) {
	detached(t, t.Context())
}
