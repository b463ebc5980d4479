// Package racy type-checks, beside one that does not.
package racy

import (
	"sync"
	"testing"
)

func TestFailNow(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.Fatal("boom")
	})
	wg.Wait()
}
