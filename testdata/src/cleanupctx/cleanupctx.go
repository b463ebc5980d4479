// Package cleanupctx holds the cleanupctx analyzer's tests: each case is a
// function named for its shape.
package cleanupctx

import (
	"context"

	"cleanupctx/store"
)

var db = store.Open(context.Background())

// drop drops the test schema.
func drop(ctx context.Context) error { return db.Drop(ctx, "test") }

// retry calls f until it succeeds.
func retry(f func() error) {
	for f() != nil {
	}
}
