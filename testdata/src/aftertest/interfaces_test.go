package aftertest

import (
	"sync"
	"testing"
)

// Methods called through an interface value whose concrete types the
// package's code shows: the call runs those types' methods, and one that
// writes to the test writes to it after it completed when a goroutine
// the test does not wait for makes the call.

type reporter interface{ Report(msg string) }

type testReporter struct{ t *testing.T }

func (r testReporter) Report(msg string) { r.t.Log(msg) } // want Report:`reports\(logs=0\)`

type quietReporter struct{}

func (quietReporter) Report(string) {}

func TestInterfaceReporterInGoroutine(t *testing.T) {
	var r reporter = testReporter{t}
	go func() { // want `r.Report \(bound to t by testReporter\{...\} at line 24\) may run after TestInterfaceReporterInGoroutine has completed`
		r.Report("late")
	}()
}

// Negatives: the goroutine is waited for, or the value holds no test.

func TestInterfaceReporterWaited(t *testing.T) {
	var r reporter = testReporter{t}
	var wg sync.WaitGroup
	wg.Go(func() { r.Report("in time") })
	wg.Wait()
}

func TestInterfaceQuietReporter(t *testing.T) {
	var r reporter = quietReporter{}
	go func() { r.Report("late") }()
}
