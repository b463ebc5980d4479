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

// The testing package supports FailNow and SkipNow in b.RunParallel's
// body: its workers end on runtime.Goexit and the benchmark checks Failed
// after them (TestRunParallelFatal, TestRunParallelSkipNow in GOROOT).
func BenchmarkRunParallelFatal(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			b.Fatal("supported")
		}
	})
}

func BenchmarkRunParallelSkipNow(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		b.SkipNow()
	})
}

func benchHelper(b *testing.B, body func()) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body()
		}
	})
}

func BenchmarkRunParallelThroughHelper(b *testing.B) {
	benchHelper(b, func() {
		b.Fatal("supported too")
	})
}

// A mock whose function field other tests give closures that stop their
// own tests: a node built without one, run on a goroutine, stops no test
// (centrifuge's mockNode).
type mockNode struct {
	onPublish func()
}

func (m *mockNode) publish() {
	if m.onPublish != nil {
		m.onPublish()
	}
}

func runNode(m *mockNode) {
	go m.publish()
}

func TestNodeBuiltWithACallbackRunsItHere(t *testing.T) {
	m := &mockNode{onPublish: func() { t.Fatal("published") }}
	m.publish()
}

func TestNodeWithoutACallbackOnAGoroutine(t *testing.T) {
	runNode(&mockNode{})
}

// A table of functions of one type in two fields: the jobs run on
// goroutines, the check on the test's (nats-server's testParams). The
// check's FailNow is right where it runs.
type scenario struct {
	jobs  []func(t *testing.T)
	check func(t *testing.T)
}

func runScenario(t *testing.T, s *scenario) {
	for _, job := range s.jobs {
		go job(t)
	}
	s.check(t)
}

func TestScenarioCheckRunsOnTheTestGoroutine(t *testing.T) {
	runScenario(t, &scenario{
		check: func(t *testing.T) { t.Fatal("check failed") },
	})
}
