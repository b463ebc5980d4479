package failnow

import (
	"errors"
	"log"
	"sync"
	"testing"

	"testutil"
)

// Helpers that take an interface declaring Fatalf (or Fatal, FailNow's
// kin) as testing.TB does, without FailNow: given the test's t, they stop
// it, and on another goroutine only that goroutine ends. The same
// interface may be given a *log.Logger, whose Fatalf exits the process:
// only a value shown to hold a testing value counts.

type fataler interface {
	Fatalf(format string, args ...any)
}

type tbLike interface {
	Helper()
	Fatal(args ...any)
}

func check(f fataler, err error) {
	if err != nil {
		f.Fatalf("unexpected: %v", err)
	}
}

func must(t tbLike, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkAgain reaches check through its own parameter.
func checkAgain(f fataler, err error) { check(f, err) }

func TestFatalfOnlyHelperOnAGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		check(t, errors.New("x")) // want `check is called on a goroutine started by wg.Go at line 45, not on the test's goroutine`
	})
	wg.Wait()
}

func TestTBLikeHelperOnAGoroutine(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		must(t, errors.New("x")) // want `must is called on a goroutine started at line 53`
	}()
	<-done
}

func TestFatalfOnlyHelperThroughAHelper(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		checkAgain(t, errors.New("x")) // want `checkAgain is called on a goroutine started by wg.Go at line 62`
	})
	wg.Wait()
}

func TestFatalfOnlyHelperOfAnotherPackage(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		testutil.MustVia(t, errors.New("x")) // want `testutil.MustVia is called on a goroutine started by wg.Go at line 70`
	})
	wg.Wait()
}

func TestTestingValueInAFatalfOnlyVariable(t *testing.T) {
	var f fataler = t
	var wg sync.WaitGroup
	wg.Go(func() {
		f.Fatalf("x") // want `f.Fatalf is called on a goroutine started by wg.Go at line 79, .* report without stopping the test \(f has no Errorf\)`
	})
	wg.Wait()
}

type checker struct{ f fataler }

func (c *checker) must(err error) {
	if err != nil {
		c.f.Fatalf("unexpected: %v", err)
	}
}

func TestFatalfOnlyFieldOnAGoroutine(t *testing.T) {
	c := &checker{f: t}
	var wg sync.WaitGroup
	wg.Go(func() {
		c.must(errors.New("x")) // want `c.must is called on a goroutine started by wg.Go at line 96`
	})
	wg.Wait()
}

// Negatives: a logger, whose Fatalf exits the process wherever it runs;
// the test's own goroutine.

func TestFatalfOnlyHelperGivenALogger(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		check(log.Default(), errors.New("x"))
	})
	wg.Wait()
}

func TestFatalfOnlyVariableHoldingALogger(t *testing.T) {
	var f fataler = log.Default()
	var wg sync.WaitGroup
	wg.Go(func() {
		f.Fatalf("x")
		check(f, errors.New("x"))
	})
	wg.Wait()
}

func TestFatalfOnlyFieldHoldingALogger(t *testing.T) {
	c := &checker{f: log.New(log.Writer(), "", 0)}
	var wg sync.WaitGroup
	wg.Go(func() {
		c.must(errors.New("x"))
	})
	wg.Wait()
}

func TestFatalfOnlyHelperOnTheTestGoroutine(t *testing.T) {
	check(t, nil)
	must(t, nil)
	var f fataler = t
	f.Fatalf("x")
}

// runLogged runs work with a logger on a goroutine: no test is given.
func runLogged(l fataler, work func() error) {
	go func() {
		if err := work(); err != nil {
			l.Fatalf("work: %v", err)
		}
	}()
}

func TestFatalfOnlyParameterOfAHelperNeverGivenATest(t *testing.T) {
	runLogged(log.Default(), func() error { return nil })
}

func mustGeneric[T interface{ Fatalf(string, ...any) }](t T, err error) {
	if err != nil {
		t.Fatalf("unexpected: %v", err)
	}
}

func TestGenericFatalfOnlyHelperOnAGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		mustGeneric(t, errors.New("x")) // want `mustGeneric is called on a goroutine started by wg.Go at line 160`
	})
	wg.Wait()
}

type fatalfErrorfer interface {
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

func TestTestingValueInAnInterfaceWithErrorf(t *testing.T) {
	var f fatalfErrorfer = t
	var wg sync.WaitGroup
	wg.Go(func() {
		f.Fatalf("x") // want `f.Fatalf is called on a goroutine started by wg.Go at line 174, .* use f.Errorf and return`
	})
	wg.Wait()
}

// A field set by a constructor from its parameter holds what the
// package's calls of the constructor pass it.

type fatalfHarness struct{ f fataler }

func newFatalfHarness(f fataler) *fatalfHarness { return &fatalfHarness{f: f} }

func (h *fatalfHarness) check(ok bool) {
	if !ok {
		h.f.Fatalf("check failed")
	}
}

func TestFatalfOnlyFieldSetByAConstructor(t *testing.T) {
	h := newFatalfHarness(t)
	var wg sync.WaitGroup
	wg.Go(func() {
		h.check(false) // want `h.check is called on a goroutine started by wg.Go at line 196`
	})
	wg.Wait()
}

func TestFatalfOnlyFieldSetByAConstructorGivenALogger(t *testing.T) {
	h := newFatalfHarness(log.Default())
	var wg sync.WaitGroup
	wg.Go(func() {
		h.check(false)
	})
	wg.Wait()
}
