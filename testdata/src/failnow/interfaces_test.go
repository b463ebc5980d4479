package failnow

import (
	"sync"
	"testing"
)

// Methods called through an interface value whose concrete types the
// package's code shows (a literal, a conversion, a factory of the package
// that returns one): the call runs those types' methods, and a goroutine
// running one that stops the test stops it from off its goroutine.

type job interface{ Do() }

type fatalJob struct{ t *testing.T }

func (j fatalJob) Do() { j.t.Fatal("job failed") }

type fatalPtrJob struct{ t *testing.T }

func (j *fatalPtrJob) Do() { j.t.Fatal("job failed") }

type quietJob struct{ t *testing.T }

func (j quietJob) Do() { j.t.Error("job failed") }

func newJob(t *testing.T) job { return fatalJob{t} }

func TestInterfaceMethodOnGoroutine(t *testing.T) {
	var j job = fatalJob{t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		j.Do() // want `j.Do is called on a goroutine started at line 32`
	}()
	<-done
}

func TestInterfaceMethodValueByWaitGroup(t *testing.T) {
	var j job = &fatalPtrJob{t: t}
	var wg sync.WaitGroup
	wg.Go(j.Do) // want `j.Do is called on a goroutine started by wg.Go`
	wg.Wait()
}

func TestInterfaceFromFactoryOnGoroutine(t *testing.T) {
	j := newJob(t)
	go j.Do() // want `j.Do is called on a goroutine started at line 48`
}

func TestInterfaceOfEitherType(t *testing.T) {
	var j job = quietJob{t}
	if testing.Short() {
		j = fatalJob{t}
	}
	go j.Do() // want `j.Do is called on a goroutine started at line 56`
}

func TestInterfaceHoldingClosureField(t *testing.T) {
	var r interface{ run() } = &worker{onErr: func(err error) { t.Fatal(err) }}
	go r.run() // want `r.run is called on a goroutine started at line 61`
}

// A function asserted out of an interface value runs what was put in it.

func TestFuncAssertedOutOfAny(t *testing.T) {
	var v any = func() {
		t.Fatal("failed") // want `t.Fatal is called on a goroutine started at line 71`
	}
	f := v.(func())
	go f()
}

func TestFuncAssertedWithCommaOK(t *testing.T) {
	var v any = func() {
		t.Fatal("failed") // want `t.Fatal is called on a goroutine started at line 79`
	}
	if f, ok := v.(func()); ok {
		go f()
	}
}

// Negatives: the concrete type's method reports with Error, the method
// runs on the test's goroutine, or what the interface holds is not known
// here (a parameter).

func TestInterfaceQuietOnGoroutine(t *testing.T) {
	var j job = quietJob{t}
	go j.Do()
}

func TestInterfaceMethodOnTestGoroutine(t *testing.T) {
	var j job = fatalJob{t}
	j.Do()
}

func runJob(j job) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		j.Do()
	}()
	<-done
}

func TestInterfaceThroughParameter(t *testing.T) {
	runJob(quietJob{t})
}

// The testing value in the interface a struct embeds: the method promoted
// from it is the test's.

type fatalfer interface {
	Fatalf(format string, args ...any)
}

type withFatalf struct{ fatalfer }

func TestTestingValueInAnEmbeddedInterfaceOnAGoroutine(t *testing.T) {
	e := &withFatalf{t}
	done := make(chan bool)
	go func() {
		defer close(done)
		e.Fatalf("x") // want `e.Fatalf is called on a goroutine started at line 122, .* report without stopping the test \(e has no Errorf\)`
	}()
	<-done
}
