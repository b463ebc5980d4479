package failnow

import (
	"testing"

	"mocklike"
)

type greeter struct{ mocklike.Mock }

func (g *greeter) Greet(name string) { g.Called(name) }

// A mock that was handed the test fails it with FailNow, here on another
// goroutine.
func TestMockHandedTheTest(t *testing.T) {
	g := new(greeter)
	g.Test(t)
	done := make(chan bool)
	go func() {
		defer close(done)
		g.Greet("x") // want `g.Greet is called on a goroutine started at line 19`
	}()
	<-done
}

// A mock that no test was handed panics: no FailNow reaches a test.
func TestMockWithoutTest(t *testing.T) {
	g := new(greeter)
	done := make(chan bool)
	go func() {
		defer close(done)
		g.Greet("x")
	}()
	<-done
}

type harness struct{ t *testing.T }

func (h *harness) must(ok bool) {
	if !ok {
		h.t.Fatal("not ok")
	}
}

// A subtest that hands the harness its own testing value uses it.
func TestSubtestHandsHarnessItsT(t *testing.T) {
	h := &harness{t: t}
	t.Run("sub", func(t *testing.T) {
		h.t = t
		h.must(true)
	})
}

func TestSubtestUsesParentsHarness(t *testing.T) {
	h := &harness{t: t}
	t.Run("sub", func(t *testing.T) {
		h.must(true) // want `h.must is called inside subtest "sub"`
	})
}
