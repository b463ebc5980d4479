package failnow

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The fix removes the file's only use of require: its import becomes
// assert's.
func TestOnlyRequire(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		require.True(t, work() == nil) // want `require.True is called on a goroutine`
	}()
	<-done
}
