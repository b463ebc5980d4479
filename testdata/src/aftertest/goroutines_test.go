package aftertest

import (
	"errors"
	"testing"
	"time"
)

func TestLogInGoroutine(t *testing.T) {
	go func() { // want `t.Logf may run after TestLogInGoroutine has completed: the goroutine started at line 10 is not waited for, and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; wait for it before the test ends \(t.Cleanup\(wg.Wait\)\)`
		t.Logf("working")
	}()
}

func TestErrorInGoroutine(t *testing.T) {
	go func() { // want `t.Errorf may run after TestErrorInGoroutine has completed: the goroutine started at line 16 is not waited for, and the testing package then panics the whole test binary; wait for it before the test ends`
		if err := Work(); err != nil {
			t.Errorf("work: %v", err)
		}
	}()
}

func TestFailComesFirst(t *testing.T) {
	go func() { // want `t.Error may run after TestFailComesFirst`
		t.Log("start")
		t.Error(errors.New("x"))
	}()
}

func TestServeThenLog(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() { // want `t.Logf may run after TestServeThenLog has completed`
		err := Serve(stop)
		t.Logf("serve: %v", err)
	}()
}

func TestSleepIsNoJoin(t *testing.T) {
	go func() { // want `t.Log may run after TestSleepIsNoJoin has completed`
		time.Sleep(10 * time.Millisecond)
		t.Log("late")
	}()
	time.Sleep(20 * time.Millisecond)
}

func TestContextLoop(t *testing.T) {
	ctx := t.Context()
	go func() { // want `t.Log may run after TestContextLoop has completed`
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.Log("tick")
			}
		}
	}()
}

func TestGoMethodValue(t *testing.T) {
	go t.Log("late") // want `t.Log may run after TestGoMethodValue has completed`
}

func TestParameterOfGoroutine(t *testing.T) {
	go func(tb testing.TB) { // want `tb.Fatal may run after TestParameterOfGoroutine has completed`
		tb.Fatal("x")
	}(t)
}

func TestInSubtest(t *testing.T) {
	t.Run("sub", func(t *testing.T) {
		go func() { // want `t.Log may run after subtest "sub" has completed`
			t.Log("late")
		}()
	})
}

func TestInLoop(t *testing.T) {
	for i := range 3 {
		go func() { // want `t.Log may run after TestInLoop has completed`
			t.Log(i)
		}()
	}
}

func BenchmarkLog(b *testing.B) {
	go func() { // want `b.Log may run after BenchmarkLog has completed`
		b.Log("late")
	}()
	for b.Loop() {
	}
}

func startLogging(t *testing.T) { // want startLogging:`reports\(asynclogs=0\)`
	go func() { // want `t.Log may run after the test has completed`
		t.Log("late")
	}()
}

func TestHelperStarts(t *testing.T) {
	startLogging(t)
}

func TestOutputWrite(t *testing.T) {
	go func() { // want `t.Output\(\).Write may run after TestOutputWrite has completed`
		t.Output().Write([]byte("late\n"))
	}()
}
