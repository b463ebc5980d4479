package aftertest

import (
	"sync"
	"testing"
)

// A helper that starts each function of a list it is given on a
// goroutine and returns without waiting: what the caller puts in the
// list may log after the test.

func startEach(fns ...func()) {
	for _, f := range fns {
		go f()
	}
}

func waitEach(fns []func()) {
	var wg sync.WaitGroup
	for _, f := range fns {
		wg.Go(f)
	}
	wg.Wait()
}

func TestVariadicListNotWaitedFor(t *testing.T) {
	startEach(func() {}, func() { // want `t.Log may run after TestVariadicListNotWaitedFor has completed: the function that startEach runs on a goroutine \(line 27\) is not waited for`
		t.Log("late")
	})
}

// Must not report: the helper waits for what it starts.

func TestListWaitedFor(t *testing.T) {
	waitEach([]func(){func() { t.Log("in time") }})
}
