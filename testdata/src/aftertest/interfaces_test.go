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

// The testing value itself in an interface value, or in the interface a
// struct embeds: its Log is the test's.

type logLine interface{ Log(args ...any) }

type embeddedLogger struct{ logLine }

func TestTestingValueInAnInterfaceInGoroutine(t *testing.T) {
	var l logLine = t
	go func() { // want `l.Log may run after TestTestingValueInAnInterfaceInGoroutine has completed`
		l.Log("late")
	}()
}

func TestTestingValueInAnEmbeddedInterfaceInGoroutine(t *testing.T) {
	l := &embeddedLogger{t}
	go func() { // want `l.Log \(bound to t by embeddedLogger\{...\} at line 59\) may run after TestTestingValueInAnEmbeddedInterfaceInGoroutine has completed`
		l.Log("late")
	}()
}

type discard struct{}

func (discard) Log(...any) {}

var quietLogs bool

// Negative: the interface may hold something else than the test.
func TestInterfaceMayHoldAnotherLogger(t *testing.T) {
	var l logLine = t
	if quietLogs {
		l = discard{}
	}
	go func() {
		l.Log("maybe late")
	}()
}

// A field of an interface type that the package gives only the test:
// a method starting a goroutine that logs with it uses the test its
// caller built the value with.

type logfLine interface {
	Logf(format string, args ...any)
}

type pinger struct{ log logfLine }

func (p *pinger) start() { // want start:`reports\(asynclogs=0\)`
	go func() {
		p.log.Logf("ping")
	}()
}

func TestTestingValueInAFieldUsedByAGoroutineOfAMethod(t *testing.T) {
	p := &pinger{log: t}
	p.start() // want `t, held by pinger\{...\} at line 99, may be used after TestTestingValueInAFieldUsedByAGoroutineOfAMethod has completed: p.start starts a goroutine that uses p, and the test never stops p`
}

// Negatives: the field may hold another logger; the goroutine is waited
// for.

type quietLogf struct{}

func (quietLogf) Logf(string, ...any) {}

type maybePinger struct{ log logfLine }

func (p *maybePinger) start() {
	go func() {
		p.log.Logf("ping")
	}()
}

func TestFieldMayHoldAnotherLogger(t *testing.T) {
	p := &maybePinger{log: t}
	p.start()
	q := &maybePinger{log: quietLogf{}}
	q.start()
}

type waitingPinger struct {
	log logfLine
	wg  sync.WaitGroup
}

func (p *waitingPinger) ping() {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.log.Logf("ping")
	}()
	p.wg.Wait()
}

func TestFieldUsedByAGoroutineWaitedFor(t *testing.T) {
	p := &waitingPinger{log: t}
	p.ping()
}
