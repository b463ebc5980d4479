package aftertest

// Goroutines the test waits for only until a timeout: when the timeout's
// case lets the test go on and pass, the goroutine may use the test after
// it has completed. A timeout that fails the test is a wait: the test has
// failed on that path anyway.

import (
	"context"
	"testing"
	"time"
)

func TestWaitedUntilTimeAfter(t *testing.T) {
	done := make(chan struct{})
	go func() { // want `t.Logf may run after TestWaitedUntilTimeAfter has completed: the goroutine started at line 16 is waited for at line 20 only until the time.After case at line 22, after which the test goes on and may end without it, and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; stop it, or wait for it in t.Cleanup, before the test ends`
		t.Logf("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Log("timeout")
	}
}

func TestWaitedUntilTimer(t *testing.T) {
	done := make(chan struct{})
	go func() { // want `the goroutine started at line 29 is waited for at line 34 only until the timer.C case at line 36`
		t.Log("closing")
		close(done)
	}()
	timer := time.NewTimer(time.Second)
	select {
	case <-done:
	case <-timer.C:
	}
}

func TestWaitedUntilContextDone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { // want `the goroutine started at line 44 is waited for at line 48 only until the ctx.Done case at line 50`
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return
	}
}

func TestCheckedWithoutWaiting(t *testing.T) {
	done := make(chan struct{})
	go func() { // want `the goroutine started at line 57 is waited for at line 61 only until the default case at line 63`
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	default:
		t.Log("still running")
	}
}

func TestTimeoutFailsTheTest(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

func TestTimeoutMarksAFailure(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Error("timeout")
	}
}

func failTimeout(t *testing.T) { t.Helper(); t.Fatal("timeout") } // want failTimeout:`reports\(fails=0\)`

func TestTimeoutHandsTheTestToAHelper(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		failTimeout(t)
	}
}

func TestTimeoutInALoopWaitsAgain(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	for {
		select {
		case <-done:
			return
		case <-time.After(time.Second):
			t.Log("still waiting")
		}
	}
}

func TestTimeoutThenAWait(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Log("slow")
	}
	<-done
}

func TestWaitedUntilTheTestsContextEnds(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-t.Context().Done(): // cancelled only once the test has returned
	}
}

func TestWaitedUntilACancelledContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func TestSkippedOnTimeout(t *testing.T) {
	done := make(chan struct{})
	go func() { // want `the goroutine started at line 167 is waited for at line 171 only until the time.After case at line 173`
		t.Log("closing")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Skip("too slow here")
	}
}
