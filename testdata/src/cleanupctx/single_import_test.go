package cleanupctx

import "testing"

func TestAddsImportToSingleImport(t *testing.T) {
	t.Cleanup(func() {
		_ = drop(t.Context()) // want `pass context\.WithoutCancel\(t\.Context\(\)\)`
	})
}
