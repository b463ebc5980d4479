package go120

import (
	"context"
	"testing"
)

func drop(ctx context.Context) error { return ctx.Err() }

// Before Go 1.21 there is no context.WithoutCancel: reported, no fix.
func TestOldGoVersion(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Cleanup(func() {
		_ = drop(ctx) // want `cancel is deferred in TestOldGoVersion`
	})
}
