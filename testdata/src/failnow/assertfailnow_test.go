package failnow

// testify's assert.FailNow stops the test through the FailNow it finds by
// a type assertion on the value it is given.

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAssertFailNowInGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		assert.FailNow(t, "boom") // want `assert.FailNow is called on a goroutine started at line 16`
	}()
	wg.Wait()
}

func TestAssertFailNowOnTheTestGoroutine(t *testing.T) {
	assert.FailNow(t, "boom")
}
