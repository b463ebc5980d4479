package aftertest

// A testing value's method taken as a value, the logger of many a
// project (logf := t.Logf, a field given t.Logf): calling it writes to
// the test as t.Logf does.

import (
	"sync"
	"testing"
)

func TestLogfVariableInGoroutine(t *testing.T) {
	logf := t.Logf
	go func() { // want `t.Logf may run after TestLogfVariableInGoroutine has completed: the goroutine started at line 14 is not waited for`
		logf("late")
	}()
}

func TestErrorfVariableInGoroutine(t *testing.T) {
	errorf := t.Errorf
	go func() { // want `t.Errorf may run after TestErrorfVariableInGoroutine has completed: the goroutine started at line 21 is not waited for, and the testing package then panics the whole test binary`
		errorf("late")
	}()
}

type logger struct {
	logf func(format string, args ...any)
}

func TestLogfFieldInGoroutine(t *testing.T) {
	l := logger{logf: t.Logf}
	go func() { // want `t.Logf may run after TestLogfFieldInGoroutine has completed`
		l.logf("late")
	}()
}

func TestLogfVariableInGoroutineWaitedFor(t *testing.T) {
	logf := t.Logf
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		logf("in time")
	}()
	wg.Wait()
}

func TestPrintfVariableInGoroutine(t *testing.T) {
	printf := func(format string, args ...any) {}
	go func() {
		printf("not the test")
	}()
}

type logfWorker struct {
	logf func(format string, args ...any)
	stop chan struct{}
}

func (w *logfWorker) run() { w.logf("tick") } // want run:`reports\(logs=0\)`

func TestLogfFieldOfAWorkerRunOnAGoroutine(t *testing.T) {
	w := &logfWorker{logf: t.Logf}
	go w.run() // want `may run after TestLogfFieldOfAWorkerRunOnAGoroutine has completed`
}

// Start runs a loop that logs through the field until Stop, which does
// not wait for it.
func (w *logfWorker) Start() { // want Start:`reports\(asynclogs=0\)`
	go func() {
		for {
			select {
			case <-w.stop:
				return
			default:
				w.logf("tick")
			}
		}
	}()
}

func (w *logfWorker) Stop() { close(w.stop) }

func TestLogfFieldOfAWorkerStartedAndStopped(t *testing.T) {
	w := &logfWorker{logf: t.Logf, stop: make(chan struct{})}
	w.Start()
	defer w.Stop() // want `the logger bound to t by t.Logf at line 85 may be used after TestLogfFieldOfAWorkerStartedAndStopped has completed: w.Start \(line 86\) starts a goroutine that uses w, and w.Stop, run as the test ends, does not wait for it`
}

func TestWorkerLoggingElsewhere(t *testing.T) {
	w := &logfWorker{logf: func(string, ...any) {}, stop: make(chan struct{})}
	w.Start()
	defer w.Stop()
}

// A connection built with the logger it is given, as tailscale's
// newConn(t.Logf): its loop logs through the field.
type logfConn struct {
	logf func(format string, args ...any)
	done chan struct{}
}

func newLogfConn(logf func(format string, args ...any)) *logfConn { // want newLogfConn:`reports\(binds=0\)`
	return &logfConn{logf: logf, done: make(chan struct{})}
}

func (c *logfConn) Start() { // want Start:`reports\(asynclogs=0\)`
	go func() {
		c.logf("connected")
	}()
}

func TestConnBuiltWithLogfNeverStopped(t *testing.T) {
	c := newLogfConn(t.Logf)
	c.Start() // want `the logger bound to t by t.Logf at line 114 may be used after TestConnBuiltWithLogfNeverStopped has completed: c.Start starts a goroutine that uses c, and the test never stops c`
}

func TestConnBuiltWithAPrintf(t *testing.T) {
	c := newLogfConn(func(string, ...any) {})
	c.Start()
}
