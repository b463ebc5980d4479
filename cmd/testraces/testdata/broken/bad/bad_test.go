package bad

import (
	"sync"
	"testing"
)

func TestN(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.Fatal(N())
	})
	wg.Wait()
}
