// Package testutil is a helper package whose helpers stop the test they
// are given: their facts reach the packages that call them.
package testutil

import (
	"net/http"
	"testing"
)

// Must stops the test if err is not nil.
func Must(t testing.TB, err error) { // want Must:"failsnow=0"
	if err != nil {
		t.Fatal(err)
	}
}

// MustThrough stops the test through another helper.
func MustThrough(t testing.TB, err error) { // want MustThrough:"failsnow=0"
	Must(t, err)
}

// Check only reports: no fact.
func Check(t testing.TB, err error) {
	if err != nil {
		t.Error(err)
	}
}

// Spawn runs f on a new goroutine.
func Spawn(f func()) { // want Spawn:"async=0"
	go f()
}

// Helper holds a testing value.
type Helper struct{ T *testing.T }

// Fail stops the test the helper holds.
func (h *Helper) Fail(msg string) { // want Fail:"failsnow=0"
	h.T.Fatal(msg)
}

// Handler returns a handler that stops the test on a request other than
// a GET: whoever runs the handler runs the stop.
func Handler(t testing.TB) http.HandlerFunc { // want Handler:"returnsfailing=0"
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Fatalf("unexpected method %s", r.Method)
		}
	}
}

// Step returns a step that stops the test when err is not nil.
func Step(t testing.TB, err error) func() error { // want Step:"returnsfailing=0"
	return func() error {
		Must(t, err)
		return nil
	}
}

// StepOK hands back Step's.
func StepOK(t testing.TB) func() error { // want StepOK:"returnsfailing=0"
	return Step(t, nil)
}

// Reporter returns a function that only reports: no fact.
func Reporter(t testing.TB) func(error) {
	return func(err error) { t.Error(err) }
}

// Fataler is what Fatalf-only helpers take: a *testing.T or a logger.
type Fataler interface {
	Fatalf(format string, args ...any)
}

// MustVia stops the test of f, if f is a testing value, when err is not
// nil.
func MustVia(f Fataler, err error) { // want MustVia:"failsnow=0"
	if err != nil {
		f.Fatalf("unexpected: %v", err)
	}
}

// RunEach runs each function of cases as a subtest of t, after its
// setup: the parent's testing value stopped in one panics the binary.
func RunEach(t *testing.T, cases map[string]func(t *testing.T)) { // want RunEach:"subtests=1"
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			t.Helper()
			f(t)
		})
	}
}
