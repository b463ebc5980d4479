package failnow

import (
	"sync"
	"testing"
)

// A helper that runs each function of a list it is given on a goroutine
// (a slice, a variadic list), or the method of an interface value it is
// given: what the caller puts in the list, or the concrete type of the
// value, runs there.

func runEach(fns []func()) {
	var wg sync.WaitGroup
	for _, f := range fns {
		wg.Go(f)
	}
	wg.Wait()
}

func runAll(fns ...func()) {
	var wg sync.WaitGroup
	for i := range fns {
		wg.Go(fns[i])
	}
	wg.Wait()
}

func TestListOfFunctions(t *testing.T) {
	runEach([]func(){
		func() {
			t.Fatal("x") // want `t.Fatal is called on a goroutine started by runEach at line 30`
		},
	})
}

func TestListInVariable(t *testing.T) {
	steps := []func(){func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by runEach at line 41`
	}}
	runEach(steps)
}

func TestVariadicList(t *testing.T) {
	runAll(func() {}, func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by runAll at line 45`
	})
}

type step interface{ Run() }

type fatalStep struct{ t *testing.T }

func (s fatalStep) Run() { s.t.Fatal("x") }

type errorStep struct{ t *testing.T }

func (s errorStep) Run() { s.t.Error("x") }

func runStep(s step) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run()
	}()
	<-done
}

func runSteps(steps []step) {
	var wg sync.WaitGroup
	for _, s := range steps {
		wg.Go(s.Run)
	}
	wg.Wait()
}

func TestInterfaceValueMethod(t *testing.T) {
	runStep(fatalStep{t}) // want `fatalStep{…}.Run is called on a goroutine started by runStep at line 78`
}

func TestInterfaceValueInVariable(t *testing.T) {
	s := fatalStep{t: t}
	runStep(s) // want `s.Run is called on a goroutine started by runStep at line 83`
}

func TestListOfInterfaceValues(t *testing.T) {
	runSteps([]step{errorStep{t}, fatalStep{t}}) // want `fatalStep{…}.Run is called on a goroutine started by runSteps at line 87`
}

// Must not report: what runs reports with Error, or runs on the test's
// goroutine.

func TestListOfErrors(t *testing.T) {
	runEach([]func(){func() { t.Error("x") }})
	runStep(errorStep{t})
}

func runInOrder(fns []func()) {
	for _, f := range fns {
		f()
	}
}

func TestListRunHere(t *testing.T) {
	runInOrder([]func(){func() { t.Fatal("x") }})
}

// A server of the package whose Serve runs, on goroutines of its own, the
// handler it was built with, given to a helper that serves any server on
// a goroutine: the handler's FailNow is not on the test's goroutine.

type connServer struct{ handle func() }

func (s *connServer) Serve() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.handle()
	}()
	<-done
}

type server interface{ Serve() }

func serveAll(servers ...server) {
	var wg sync.WaitGroup
	for _, s := range servers {
		wg.Go(s.Serve)
	}
	wg.Wait()
}

func TestServerOfThePackageGivenToARunner(t *testing.T) {
	s := &connServer{handle: func() {
		t.Fatal("x")
	}}
	serveAll(s) // want `s.Serve is called on a goroutine started by serveAll at line 137`
}

func step0(t *testing.T) {}
func step1(t *testing.T) {}
func step2(t *testing.T) {}
func step3(t *testing.T) {}
func step4(t *testing.T) {}
func step5(t *testing.T) {}
func step6(t *testing.T) {}
func step7(t *testing.T) {}
func step8(t *testing.T) {}
func step9(t *testing.T) { t.Fatal("x") }

// A table of more functions than a handful, as real tables are.
func TestTableOfTenFunctionsOnGoroutines(t *testing.T) {
	steps := []func(*testing.T){step0, step1, step2, step3, step4, step5, step6, step7, step8, step9}
	var wg sync.WaitGroup
	for _, step := range steps {
		wg.Go(func() {
			step(t) // want `step is called on a goroutine started by wg.Go at line 156`
		})
	}
	wg.Wait()
}
