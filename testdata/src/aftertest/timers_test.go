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
	defer timer.Stop()
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
