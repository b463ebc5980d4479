package aftertest

import (
	"testing"

	"golang.org/x/sync/errgroup"
)

// runAsync runs f on a goroutine of its own and returns at once.
func runAsync(f func()) { go f() }

func TestHelperRunsCallback(t *testing.T) {
	runAsync(func() { // want `t.Error may run after TestHelperRunsCallback has completed: the function that runAsync runs on a goroutine \(line 13\) is not waited for, and the testing package then panics the whole test binary; wait for it before the test ends`
		t.Error("late")
	})
}

func TestErrgroupNotWaited(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error { // want `t.Log may run after TestErrgroupNotWaited has completed: the function that g.Go runs on a goroutine`
		t.Log("late")
		return nil
	})
}

func TestErrgroupWaitedInCleanup(t *testing.T) {
	var g errgroup.Group
	t.Cleanup(func() { g.Wait() })
	g.Go(func() error {
		t.Log("x")
		return nil
	})
}

func TestHelperRunsCallbackJoined(t *testing.T) {
	done := make(chan struct{})
	runAsync(func() {
		defer close(done)
		t.Error("x")
	})
	<-done
}

type suite struct{}

// A test that a harness runs by reflection, as grpc's grpctest does.
func (suite) TestMethod(t *testing.T) { // want TestMethod:`reports\(asyncfails=1\)`
	go func() { // want `t.Error may run after TestMethod has completed`
		t.Error("late")
	}()
}

// A testify suite's method: its test is s.T(), and TearDownTest may join.
func (suite) TestNoTestingParam() {}

// withPeers runs the peers on goroutines and waits for both.
func withPeers(t *testing.T, peer1, peer2 func() error) { // want withPeers:`reports\(fails=0\)`
	errc := make(chan error, 2)
	go func() { errc <- peer1() }()
	go func() { errc <- peer2() }()
	for range 2 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

func TestRunnerWaits(t *testing.T) {
	withPeers(t, func() error {
		t.Log("peer 1")
		return nil
	}, func() error {
		t.Log("peer 2")
		return nil
	})
}

// runEach runs f for each index on a goroutine of its own, and returns at
// once; a single one it runs itself.
func runEach(n int, f func(i int)) {
	if n == 1 {
		f(0)
		return
	}
	for i := range n {
		go f(i)
	}
}

func TestHelperRunsASingleCallbackItself(t *testing.T) {
	runEach(1, func(i int) { t.Log("on the test's goroutine") })
}

func TestHelperRunsSeveralCallbacksOnGoroutines(t *testing.T) {
	runEach(2, func(i int) { // want `t.Log may run after TestHelperRunsSeveralCallbacksOnGoroutines has completed: the function that runEach runs on a goroutine`
		t.Log("late")
	})
}
