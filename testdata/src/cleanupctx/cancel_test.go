package cleanupctx

import (
	"context"
	"os"
	"os/signal"
	"testing"
	"time"

	"cleanupctx/store"
)

func TestDeferredCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := store.Start(ctx)
	t.Cleanup(func() {
		_ = c.Terminate(ctx) // want `^ctx is cancelled before the cleanup runs \(cancel is deferred in TestDeferredCancel, which returns before its cleanups run\), so c\.Terminate fails with context canceled; pass context\.WithoutCancel\(ctx\)$`
	})
}

func TestCalledCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	c := store.Start(ctx)
	t.Cleanup(func() {
		_ = c.Terminate(ctx) // want `\(cancel is called in TestCalledCancel before it returns\)`
	})
	cancel()
}

func TestDeferredCancelInLiteral(t *testing.T) {
	ctx, stop := context.WithDeadline(context.Background(), time.Now().Add(time.Minute))
	defer func() {
		stop()
	}()
	t.Cleanup(func() {
		_ = drop(ctx) // want `\(stop is deferred in TestDeferredCancelInLiteral, which`
	})
}

func TestDeferredSignalStop(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t.Cleanup(func() {
		_ = drop(ctx) // want `stop is deferred`
	})
}

func TestDeferredCancelInSubtest(t *testing.T) {
	t.Run("schema", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		t.Cleanup(func() {
			_ = drop(ctx) // want `\(cancel is deferred in subtest "schema", which returns before its cleanups run\)`
		})
	})
}

func TestDeferredCancelInHelper(t *testing.T) {
	startContainer(t)
}

func startContainer(t *testing.T) *store.Container {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := store.Start(ctx)
	t.Cleanup(func() {
		_ = c.Terminate(ctx) // want `cancel is deferred in startContainer`
	})
	return c
}

func TestDeferredCancelOfTestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	t.Cleanup(func() {
		_ = drop(ctx) // want `t\.Context\(\) is cancelled just before Cleanup`
	})
}
