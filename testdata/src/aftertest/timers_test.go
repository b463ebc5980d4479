package aftertest

import (
	"testing"
	"time"
)

func TestAfterFuncDiscarded(t *testing.T) {
	time.AfterFunc(time.Second, func() { // want `t.Error may run after TestAfterFuncDiscarded has completed: the function that time.AfterFunc runs \(line 9\) is never stopped nor waited for, and the testing package then panics the whole test binary; keep the timer and stop it`
		t.Error("timeout")
	})
}

func TestAfterFuncNeverStopped(t *testing.T) {
	timer := time.AfterFunc(time.Second, func() { // want `t.Log may run after TestAfterFuncNeverStopped has completed`
		t.Log("timeout")
	})
	_ = timer
}

func TestAfterFuncStopped(t *testing.T) {
	timer := time.AfterFunc(time.Second, func() {
		t.Error("timeout")
	})
	defer timer.Stop() // want `t.Error may run after TestAfterFuncStopped has completed: timer.Stop does not wait for the function that time.AfterFunc runs \(line 22\) when the timer has already fired, and the testing package then panics the whole test binary; when Stop returns false, wait for the function to finish`
}

func TestAfterFuncStoppedInCleanup(t *testing.T) {
	timer := time.AfterFunc(time.Second, func() {
		t.Error("timeout")
	})
	t.Cleanup(func() {
		if !timer.Stop() {
			t.Log("fired")
		}
	})
}

type watchdog struct{ timer *time.Timer }

func TestAfterFuncKeptInField(t *testing.T) {
	var w watchdog
	w.timer = time.AfterFunc(time.Second, func() {
		t.Error("timeout")
	})
	stopLater(&w)
}

func stopLater(w *watchdog) { w.timer.Stop() }

func TestAfterFuncNoTest(t *testing.T) {
	time.AfterFunc(time.Second, func() {
		println("timeout")
	})
}

func TestAfterFuncStoppedInGoroutine(t *testing.T) {
	for i := 0; i < 3; i++ {
		go func() {
			timer := time.AfterFunc(2*time.Second, func() {
				t.Errorf("timer %d was not stopped", i)
			})
			time.Sleep(time.Second)
			timer.Stop()
		}()
	}
	time.Sleep(3 * time.Second)
}

// A watchdog stopped on the way out: if it fires as the test ends, Stop
// returns false and its function runs on after the test.
func TestAfterFuncWatchdogStoppedByDefer(t *testing.T) {
	defer time.AfterFunc(time.Second, func() { t.Error("deadlock") }).Stop() // want `t.Error may run after TestAfterFuncWatchdogStoppedByDefer has completed: Stop does not wait for the function that time.AfterFunc runs`
	work()
}

func TestAfterFuncStoppedAtTheEnd(t *testing.T) {
	timer := time.AfterFunc(time.Second, func() { t.Log("slow") })
	work()
	timer.Stop() // want `t.Log may run after TestAfterFuncStoppedAtTheEnd has completed: timer.Stop does not wait`
}

// Stop's result checked, and the function waited for when it has fired.
func TestAfterFuncCheckedStopWaits(t *testing.T) {
	done := make(chan struct{})
	timer := time.AfterFunc(time.Second, func() {
		defer close(done)
		t.Error("deadlock")
	})
	work()
	if !timer.Stop() {
		<-done
	}
}

func work() {}

// A cleanup runs before the test completes, but an unchecked Stop there
// still leaves a function that has already started running on.
func TestAfterFuncStoppedInCleanupUnchecked(t *testing.T) {
	timer := time.AfterFunc(time.Second, func() { t.Error("slow") })
	t.Cleanup(func() {
		timer.Stop() // want `t.Error may run after TestAfterFuncStoppedInCleanupUnchecked has completed: timer.Stop does not wait`
	})
	work()
}
