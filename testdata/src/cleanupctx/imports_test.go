package cleanupctx

import (
	"testing"

	"cleanupctx/store"
)

func TestAddsContextImport(t *testing.T) {
	c := store.Start(t.Context())
	t.Cleanup(func() {
		_ = c.Terminate(t.Context()) // want `pass context\.WithoutCancel\(t\.Context\(\)\)`
	})
}
