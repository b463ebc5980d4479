package aftertest

// A goroutine that a goroutine the test waits for starts, and nothing
// waits for: the test's wait joins only the outer one. A helper given
// nothing but the test cannot tell the test it is done.

import (
	"errors"
	"testing"
)

func reportRestart(t *testing.T) { // want reportRestart:`reports\(fails=0\)`
	if err := errors.New("restart failed"); err != nil {
		t.Error(err)
	}
}

func TestHelperStartedByAGoroutineTheTestWaitsFor(t *testing.T) {
	done := make(chan struct{})
	go func() {
		go reportRestart(t) // want `reportRestart may run after TestHelperStartedByAGoroutineTheTestWaitsFor has completed: the goroutine started at line 21 is not waited for`
		close(done)
	}()
	<-done
}

func TestHelperRunByAGoroutineTheTestWaitsFor(t *testing.T) {
	done := make(chan struct{})
	go func() {
		reportRestart(t)
		close(done)
	}()
	<-done
}
