// Package retrylike is a retry harness in the shape of retry.R: Run runs
// f on a goroutine of its own, whose FailNow records the failure and ends
// that goroutine, as it is meant to; Run then tries again or fails the
// test on the test's goroutine.
package retrylike

import (
	"runtime"
	"testing"
)

// R collects a failure of one try.
type R struct{ failed bool }

// Errorf records a failure.
func (r *R) Errorf(format string, args ...any) { r.failed = true }

// FailNow records a failure and ends the try's goroutine.
func (r *R) FailNow() {
	r.failed = true
	runtime.Goexit()
}

// Run tries f until it passes, three times at most.
func Run(t *testing.T, f func(r *R)) { // want Run:"failsnow=0 async=1 waits"
	for range 3 {
		r := &R{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			f(r)
		}()
		<-done
		if !r.failed {
			return
		}
	}
	t.Fatal("failed three times")
}

// W wraps a test and fails it for real.
type W struct{ t *testing.T }

// Wrap returns a W for t.
func Wrap(t *testing.T) *W { return &W{t: t} }

// Errorf reports on the test.
func (w *W) Errorf(format string, args ...any) { w.t.Errorf(format, args...) }

// FailNow stops the test.
func (w *W) FailNow() { w.t.FailNow() } // want FailNow:"failsnow=0"
