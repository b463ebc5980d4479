package failnow

import (
	"sync"
	"testing"
)

func TestCleanupRunsOnTestGoroutine(t *testing.T) {
	go func() {
		t.Cleanup(func() {
			t.Fatal("cleanups run on the test's goroutine")
		})
	}()
}

func TestSafeMethodsAnywhere(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Error("x")
		t.Errorf("x")
		t.Log("x")
		t.Logf("x")
		t.Fail()
	}()
	wg.Wait()
}

func TestFatalAfterJoin(t *testing.T) {
	var wg sync.WaitGroup
	var err error
	wg.Add(1)
	go func() {
		defer wg.Done()
		err = work()
	}()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFatalOnTestGoroutine(t *testing.T) {
	fatalHelper(t)
	func() { t.Fatal("immediately called literal: same goroutine") }()
}
