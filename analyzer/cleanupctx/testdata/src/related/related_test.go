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
