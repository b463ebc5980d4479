package cleanupctx

import (
	stdctx "context"
	"testing"
)

func TestRenamedContextImport(t *testing.T) {
	ctx, cancel := stdctx.WithCancel(stdctx.Background())
	defer cancel()
	t.Cleanup(func() {
		_ = drop(ctx) // want `pass context\.WithoutCancel\(ctx\)`
	})
}

func TestContextNameShadowed(t *testing.T) {
	context := t.Context()
	t.Cleanup(func() {
		_ = drop(context) // want `pass context\.WithoutCancel\(context\)`
	})
}
