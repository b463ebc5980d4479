package failnow

// Closures that another package's helper hands back and that stop the
// test they were built with: whoever runs them runs the stop.

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/sync/errgroup"

	"testutil"
)

func TestHandlerAHelperBuilds(t *testing.T) {
	srv := httptest.NewServer(testutil.Handler(t)) // want `the function that testutil.Handler returns is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 18\), not on the test's goroutine; FailNow there only ends that goroutine`
	defer srv.Close()
	http.Get(srv.URL)
}

func TestStepAHelperBuildsRunByErrgroup(t *testing.T) {
	var g errgroup.Group
	g.Go(testutil.Step(t, errors.New("x"))) // want `the function that testutil.Step returns is called on a goroutine started by g.Go at line 25`
	g.Wait()
}

func TestStepInAVariableOnAGoroutine(t *testing.T) {
	step := testutil.StepOK(t)
	done := make(chan error)
	go func() { done <- step() }() // want `step, the function that testutil.StepOK returns, is called on a goroutine started at line 32`
	<-done
}

func TestStepInAVariableStartedByGo(t *testing.T) {
	step := testutil.StepOK(t) // want `the function that testutil.StepOK returns is called on a goroutine started at line 38`
	go step()
}

func TestStepRunOnTheTestGoroutine(t *testing.T) {
	testutil.Step(t, nil)()
}

func TestReporterOnAGoroutine(t *testing.T) {
	report := testutil.Reporter(t)
	go report(errors.New("x"))
}

// handlerFor hands back the closure testutil.Handler builds with the test
// it is given.
func handlerFor(t *testing.T) http.Handler {
	return testutil.Handler(t)
}

func TestHandlerAnOwnHelperHandsOn(t *testing.T) {
	srv := httptest.NewServer(handlerFor(t)) // want `the function that handlerFor returns is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 57\)`
	defer srv.Close()
	http.Get(srv.URL)
}

func TestStepChosenBetweenTwoHelpers(t *testing.T) {
	step := testutil.StepOK(t) // want `the function that testutil.StepOK returns is called on a goroutine started at line 67`
	if testing.Short() {
		step = testutil.Step(t, nil)
	}
	go step()
}

func TestHandlerAnOwnHelperBuildsForItsOwnServer(t *testing.T) {
	h := handlerFor(t)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// stepFor hands back the closure testutil.StepOK builds with the test it
// is given.
func stepFor(t *testing.T) func() error {
	return testutil.StepOK(t)
}

func TestStepAnOwnHelperHandsOnStartedByGo(t *testing.T) {
	step := stepFor(t) // want `the function that stepFor returns is called on a goroutine started at line 83`
	go step()
}

func TestStepAnOwnHelperHandsOnRunHere(t *testing.T) {
	step := stepFor(t)
	step()
}
