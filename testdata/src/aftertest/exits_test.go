package aftertest

// Goroutines the test waits for, but only at the end of its own code: a
// t.Fatal, a require or a return before that wait ends the test with the
// goroutine still running.

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

func connect() error { return errors.New("refused") }

func TestFatalBeforeTheWait(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `t.Error may run after TestFatalBeforeTheWait has completed: the goroutine started at line 21 is waited for at line 28, but t.Fatal at line 26 ends the test before that, and the testing package then panics the whole test binary; wait for it in a defer or in t.Cleanup, which run on that path too`
		defer wg.Done()
		t.Error("late")
	}()
	if err := connect(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

func TestRequireBeforeTheReceive(t *testing.T) {
	done := make(chan struct{})
	go func() { // want `t.Log may run after TestRequireBeforeTheReceive has completed: the goroutine started at line 33 is waited for at line 38, but require.NoError at line 37 ends the test before that`
		defer close(done)
		t.Log("working")
	}()
	require.NoError(t, connect())
	<-done
}

func TestReturnBeforeTheWait(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `the goroutine started at line 44 is waited for at line 52, but the return at line 50 ends the test before that`
		defer wg.Done()
		t.Log("working")
	}()
	if err := connect(); err != nil {
		t.Error(err)
		return
	}
	wg.Wait()
}

func TestErrgroupWaitedAfterARequire(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error { // want `t.Log may run after TestErrgroupWaitedAfterARequire has completed: the function that g.Go runs on a goroutine \(line 57\) is waited for at line 62, but require.NoError at line 61 ends the test before that`
		t.Log("working")
		return nil
	})
	require.NoError(t, connect())
	require.NoError(t, g.Wait())
}

func TestWaitDeferred(t *testing.T) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("working")
	}()
	require.NoError(t, connect())
}

func TestWaitInCleanup(t *testing.T) {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("working")
	}()
	require.NoError(t, connect())
}

func TestWaitBeforeTheFatal(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("working")
	}()
	err := connect()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
}

func TestWaitInTheFailingBranchToo(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("working")
	}()
	if err := connect(); err != nil {
		wg.Wait()
		t.Fatal(err)
	}
	wg.Wait()
}

func TestFatalBeforeTheStart(t *testing.T) {
	require.NoError(t, connect())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Log("working")
	}()
	<-done
}

func TestFatalInASubtestBeforeTheWait(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Log("working")
	}()
	t.Run("sub", func(t *testing.T) {
		require.NoError(t, connect())
	})
	<-done
}

func TestGoroutineWithoutTheTestBeforeAFatal(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
	}()
	require.NoError(t, connect())
	<-done
}

// A failure in RunParallel's body ends that body: the benchmark goes on
// to its wait.
func BenchmarkRunParallelBeforeTheWait(b *testing.B) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Log("serving")
	}()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := connect(); err != nil {
				b.Fatal(err)
			}
		}
	})
	<-done
}

// The goroutine uses the test only when what it waits for fails, and on
// the path where the test ends early nothing arrives: not reported.
func TestErrorBranchOfAGoroutineBeforeAFatal(t *testing.T) {
	errc := make(chan error)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}()
	if err := connect(); err != nil {
		t.Fatal(err)
	}
	errc <- nil
	<-done
}
