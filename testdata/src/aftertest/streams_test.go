package aftertest

// A connection the test only closes: closing waits for no goroutine, at
// the other end or anywhere else. Reading from it is a join (see
// negatives_test.go).

import (
	"errors"
	"net"
	"testing"
)

func TestGoroutineBesideAConnectionTheTestCloses(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	defer client.Close()
	go func() { // want `t.Errorf may run after TestGoroutineBesideAConnectionTheTestCloses has completed: the goroutine started at line 17 is not waited for`
		if err := errors.New("boom"); err != nil {
			t.Errorf("failed: %v", err)
		}
	}()
}
