package aftertest

// A test's logger handed to a helper that starts a goroutine using it and
// does not wait for it: t.Logf given as a function, the test given as an
// interface with Logf. Nothing the test holds can stop that goroutine.

import (
	"log"
	"sync"
	"testing"
	"time"
)

func startLogfLoop(logf func(format string, args ...any)) { // want startLogfLoop:`reports\(asynclogs=0\)`
	go func() {
		time.Sleep(time.Millisecond)
		logf("late")
	}()
}

func TestLogfHandedToAHelperThatStartsAGoroutine(t *testing.T) {
	startLogfLoop(t.Logf) // want `the logger bound to t by t.Logf at line 22 may be used after TestLogfHandedToAHelperThatStartsAGoroutine has completed: startLogfLoop starts a goroutine that uses it and does not wait for it`
}

func TestPrintfHandedToAHelperThatStartsAGoroutine(t *testing.T) {
	startLogfLoop(log.Printf)
}

type logfer interface {
	Logf(format string, args ...any)
}

func startReporting(l logfer) { // want startReporting:`reports\(asynclogs=0\)`
	go func() {
		l.Logf("late")
	}()
}

func TestTestHandedAsAnInterfaceToAHelperThatStartsAGoroutine(t *testing.T) {
	startReporting(t) // want `the test may be used after TestTestHandedAsAnInterfaceToAHelperThatStartsAGoroutine has completed: startReporting starts a goroutine that uses it and does not wait for it`
}

type ticker struct {
	logf func(format string, args ...any)
}

func (k *ticker) loop() { // want loop:`reports\(logs=0\)`
	for {
		k.logf("tick")
		time.Sleep(time.Millisecond)
	}
}

func newTicker(logf func(format string, args ...any)) *ticker { // want newTicker:`reports\(binds=0 asynclogs=0\)`
	k := &ticker{logf: logf}
	go k.loop()
	return k
}

func TestLogfHandedToAConstructorWhoseResultIsDropped(t *testing.T) {
	newTicker(t.Logf) // want `newTicker starts a goroutine that uses it and does not wait for it`
}

func logUntilStopped(logf func(format string, args ...any)) (stop func()) { // want logUntilStopped:`reports\(asynclogs=0\)`
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
				logf("tick")
			}
		}
	}()
	return func() { close(done) }
}

func TestLogfHandedToAHelperThatReturnsItsStop(t *testing.T) {
	stop := logUntilStopped(t.Logf)
	defer stop()
}

func logAndWait(logf func(format string, args ...any)) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		logf("inside")
	}()
	wg.Wait()
}

func TestLogfHandedToAHelperThatWaits(t *testing.T) {
	logAndWait(t.Logf)
}
