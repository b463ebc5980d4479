// Package related holds cases whose related positions TestRelated checks.
package related

import (
	"context"
	"testing"
	"time"
)

func stop(ctx context.Context) error { return ctx.Err() }

func TestDerivedInCleanup(t *testing.T) {
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(t.Context(), time.Second) // want `t\.Context\(\) is cancelled`
		defer cancel()
		_ = stop(stopCtx)
	})
}

func TestDerivedFromVariableInCleanup(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		c := ctx // want `ctx is cancelled`
		_ = stop(c)
		_ = stop(c)
	})
}

func run(t *testing.T) error { // want run:"testctx=0"
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	return stop(ctx)
}

func teardown(t *testing.T) { // want teardown:"testctx=0"
	_ = run(t)
}

func TestHelperInCleanup(t *testing.T) {
	t.Cleanup(func() {
		teardown(t) // want `teardown uses t\.Context\(\) \(in run\)`
	})
}

func TestLiteralHelperInCleanup(t *testing.T) {
	ctx := t.Context()
	rm := func() error {
		return stop(ctx)
	}
	t.Cleanup(func() {
		_ = rm() // want `rm calls stop with ctx`
	})
}

type harness struct{ t *testing.T }

func newHarness(t *testing.T) *harness { // want newHarness:"holds=0.t:t=0"
	return &harness{t: t}
}

func (h *harness) stop() error { // want stop:"testctx=0.t"
	return stop(h.t.Context())
}

func TestHarnessInCleanup(t *testing.T) {
	h := newHarness(t)
	t.Cleanup(func() {
		_ = h.stop() // want `h\.stop uses h\.t\.Context\(\)`
	})
}
