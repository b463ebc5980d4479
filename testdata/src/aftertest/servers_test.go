package aftertest

// Servers, consumers and loops built with the test's logger and started
// on goroutines of their own: they log for as long as they run, after the
// test too, unless the test stops them.

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

type appServer struct {
	logger *zap.Logger
	stop   chan struct{}
}

func newAppServer(logger *zap.Logger) *appServer { // want newAppServer:`reports\(binds=0\)`
	return &appServer{logger: logger, stop: make(chan struct{})}
}

// Run logs until it is stopped.
func (s *appServer) Run() { // want Run:`reports\(logs=0\)`
	for {
		select {
		case <-s.stop:
			return
		default:
			s.logger.Info("tick")
		}
	}
}

// Start runs Run on a goroutine of its own.
func (s *appServer) Start() { go s.Run() } // want Start:`reports\(asynclogs=0\)`

// Stop ends Run.
func (s *appServer) Stop() { close(s.stop) }

func TestServerOfALiteralRunOnAGoroutine(t *testing.T) {
	srv := &appServer{logger: zaptest.NewLogger(t), stop: make(chan struct{})}
	go srv.Run() // want `srv.Run \(bound to t by zaptest.NewLogger at line 42\) may run after TestServerOfALiteralRunOnAGoroutine has completed: the goroutine started at line 43 is not waited for`
}

func TestServerStartedAndNeverStopped(t *testing.T) {
	srv := newAppServer(zaptest.NewLogger(t))
	srv.Start() // want `the logger bound to t by zaptest.NewLogger at line 47 may be used after TestServerStartedAndNeverStopped has completed: srv.Start starts a goroutine that uses srv, and the test never stops srv, and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; stop srv before the test ends, with a method that waits for its goroutines \(in t.Cleanup\)`
}

func TestServerStartedAndStoppedByDefer(t *testing.T) {
	srv := newAppServer(zaptest.NewLogger(t))
	defer srv.Stop() // want `the logger bound to t by zaptest.NewLogger at line 52 may be used after TestServerStartedAndStoppedByDefer has completed: srv.Start \(line 54\) starts a goroutine that uses srv, and srv.Stop, run as the test ends, does not wait for it, and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; stop srv with a method that waits for its goroutines`
	srv.Start()
}

func TestServerStartedAndStoppedAtTheEnd(t *testing.T) {
	srv := newAppServer(zaptest.NewLogger(t))
	srv.Start()
	srv.Stop() // want `the logger bound to t by zaptest.NewLogger at line 58 may be used after TestServerStartedAndStoppedAtTheEnd has completed: srv.Start \(line 59\) starts a goroutine that uses srv, and srv.Stop, the test's last call on srv, does not wait for it`
}

func TestServerWithANopLogger(t *testing.T) {
	srv := newAppServer(zap.NewNop())
	srv.Start()
}

// A harness holding the test's t, whose Start polls on a goroutine.
type harness struct {
	t    *testing.T
	stop chan struct{}
}

func (h *harness) Start() { // want Start:`reports\(asynclogs=0\)`
	go func() {
		for {
			select {
			case <-h.stop:
				return
			default:
				h.t.Log("tick")
			}
		}
	}()
}

func TestHarnessHoldingTheTestStarted(t *testing.T) {
	h := &harness{t: t, stop: make(chan struct{})}
	h.Start() // want `t, held by harness{...} at line 88, may be used after TestHarnessHoldingTheTestStarted has completed: h.Start starts a goroutine that uses h, and the test never stops h`
}

// A server whose Stop waits for the goroutine that Start started.
type waitingServer struct {
	logger     *zap.Logger
	stop, done chan struct{}
}

func newWaitingServer(logger *zap.Logger) *waitingServer { // want newWaitingServer:`reports\(binds=0\)`
	return &waitingServer{logger: logger, stop: make(chan struct{}), done: make(chan struct{})}
}

func (s *waitingServer) run() { // want run:`reports\(logs=0\)`
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		default:
			s.logger.Info("tick")
		}
	}
}

func (s *waitingServer) Start() { go s.run() } // want Start:`reports\(asynclogs=0\)`

func (s *waitingServer) Stop() {
	close(s.stop)
	<-s.done
}

func TestServerStoppedAndWaitedFor(t *testing.T) {
	srv := newWaitingServer(zaptest.NewLogger(t))
	srv.Start()
	defer srv.Stop()
}
