package failnow

import (
	"context"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
	"testutil"
)

func TestErrgroupGo(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error {
		if err := work(); err != nil {
			t.Fatal(err) // want `t.Fatal is called on a goroutine started by g.Go at line 15`
		}
		return nil
	})
	g.TryGo(func() error {
		t.FailNow() // want `t.FailNow is called on a goroutine started by g.TryGo`
		return nil
	})
	g.Wait()
}

func TestWaitGroupGo(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by wg.Go`
	})
	wg.Wait()
}

func TestAfterFunc(t *testing.T) {
	time.AfterFunc(time.Millisecond, func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by time.AfterFunc`
	})
	context.AfterFunc(context.Background(), func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by context.AfterFunc`
	})
}

func TestLocalSpawner(t *testing.T) {
	spawn(func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by spawn`
	})
}

func spawn(f func()) { go f() }

func TestOtherPackageSpawner(t *testing.T) {
	testutil.Spawn(func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by testutil.Spawn`
	})
}

func TestCallbackOfNamedMethod(t *testing.T) {
	h := &holder{t: t}
	var g errgroup.Group
	g.Go(h.check) // want `h.check is called on a goroutine started by g.Go`
	g.Wait()
}

func (h *holder) check() error {
	h.t.Fatal("x")
	return nil
}

// Called synchronously: runs on the test's goroutine.
func TestSynchronousCallback(t *testing.T) {
	each([]int{1}, func(i int) {
		t.Fatal(i)
	})
}

func each(xs []int, f func(int)) {
	for _, x := range xs {
		f(x)
	}
}

// The helper calls f on goroutines it starts with literals.
func runConcurrently(n int, f func(i int)) {
	done := make(chan bool)
	for i := 0; i < n; i++ {
		go func(i int) {
			f(i)
			done <- true
		}(i)
	}
	for i := 0; i < n; i++ {
		<-done
	}
}

func TestHelperRunsCallbackInGoroutine(t *testing.T) {
	runConcurrently(3, func(i int) {
		if i > 5 {
			t.Fatal("too big") // want `t.Fatal is called on a goroutine started by runConcurrently`
		}
	})
}
