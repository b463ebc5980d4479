package aftertest

// Callbacks that a value keeps and calls from goroutines of its own (a
// watcher's poll loop, a subscription's delivery): they run as long as
// the value runs, after the test too, unless the test stops it.

import (
	"net"
	"net/http"
	"testing"

	"go.uber.org/zap/zaptest"

	"fasthttplike"
	"natslike"
	"watchlike"
)

func TestWatcherNeverStopped(t *testing.T) {
	w := watchlike.New() // want `t.Logf may run after TestWatcherNeverStopped has completed: w.OnChange keeps the function and watchlike.New \(line 20\) runs it on goroutines of w that the test never stops, and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; stop w before the test ends, with a method that waits for its goroutines \(in t.Cleanup\)`
	w.OnChange(func(path string) {
		t.Logf("changed: %s", path)
	})
}

func TestWatchResultDropped(t *testing.T) {
	watchlike.Watch(func(path string) { // want `t.Errorf may run after TestWatchResultDropped has completed: watchlike.Watch keeps the function and runs it on goroutines of what it returns that the test never stops, and the testing package then panics the whole test binary; keep what it returns and stop it before the test ends`
		t.Errorf("unexpected change: %s", path)
	})
}

func TestSubscriptionWithATestLogger(t *testing.T) {
	logger := zaptest.NewLogger(t)
	var nc natslike.Conn
	nc.Subscribe("subject", func(m *natslike.Msg) { // want `logger.Info \(bound to t by zaptest.NewLogger at line 33\) may run after TestSubscriptionWithATestLogger has completed: nc.Subscribe keeps the function and runs it on goroutines of nc that the test never stops`
		logger.Info("received")
	})
}

func TestWatcherClosedByDefer(t *testing.T) {
	w := watchlike.New()
	defer w.Close() // want `t.Logf may run after TestWatcherClosedByDefer has completed: w.Close, run as the test ends, does not wait for the goroutines of w that run the function w.OnChange keeps \(watchlike.New, line 41\), and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed; stop w with a method that waits for its goroutines, or wait for the function itself, before the test ends \(in t.Cleanup\)`
	w.OnChange(func(path string) { t.Logf("changed: %s", path) })
}

func TestWatcherClosedInCleanup(t *testing.T) {
	w := watchlike.New()
	t.Cleanup(w.Close) // want `t.Logf may run after TestWatcherClosedInCleanup has completed: w.Close, run as the test ends, does not wait`
	w.OnChange(func(path string) { t.Logf("changed: %s", path) })
}

func TestWatcherClosedAtTheEnd(t *testing.T) {
	w := watchlike.Watch(func(path string) { t.Logf("changed: %s", path) })
	w.Close() // want `t.Logf may run after TestWatcherClosedAtTheEnd has completed: w.Close, the test's last call on w, does not wait for the goroutines of w that run the function watchlike.Watch keeps`
}

func TestConnectionClosed(t *testing.T) {
	var nc natslike.Conn
	nc.Subscribe("subject", func(m *natslike.Msg) { t.Log("received") })
	defer nc.Close() // want `t.Log may run after TestConnectionClosed has completed: nc.Close, run as the test ends, does not wait for the goroutines of nc that run the function nc.Subscribe keeps`
}

func TestWatcherCallbackDoesNotUseTheTest(t *testing.T) {
	changes := make(chan string, 1)
	watchlike.Watch(func(path string) {
		select {
		case changes <- path:
		default:
		}
	})
}

// A helper that returns the watcher: its caller decides when it stops.
func startWatcher(t *testing.T) *watchlike.Watcher { // want startWatcher:`reports\(logs=0\)`
	return watchlike.Watch(func(path string) { t.Logf("changed: %s", path) })
}

// A server's handler runs for the requests the test sends, which it waits
// for.
func TestServerHandlerUsesTheTest(t *testing.T) {
	s := &fasthttplike.Server{Handler: func(ctx *fasthttplike.RequestCtx) {
		t.Errorf("unexpected request for %s", ctx.Path)
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	http.Get("http://" + ln.Addr().String())
}

// subscribe keeps cb in a subscription of nc and returns it.
func subscribe(t *testing.T, nc *natslike.Conn, cb natslike.MsgHandler) *natslike.Subscription { // want subscribe:`reports\(fails=0\)`
	sub, err := nc.Subscribe("subject", cb)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// The subscription is dropped, but the connection it lives on is closed
// when the test returns.
func TestSubscriptionDroppedOnAConnectionClosedByDefer(t *testing.T) {
	var nc natslike.Conn
	defer nc.Close()
	subscribe(t, &nc, func(m *natslike.Msg) { t.Log("received") })
}

// Stopped with a method that waits for the goroutines it stopped.
func TestWatcherShutDownByDefer(t *testing.T) {
	w := watchlike.New()
	defer w.Shutdown()
	w.OnChange(func(path string) { t.Logf("changed: %s", path) })
}

// The callback tells the test it ran, and the test waits for that before
// the stop: whether another change comes later is not known.
func TestWatcherCallbackSignalsBeforeTheClose(t *testing.T) {
	changed := make(chan string, 1)
	w := watchlike.New()
	defer w.Close()
	w.OnChange(func(path string) {
		t.Logf("changed: %s", path)
		changed <- path
	})
	<-changed
}

// The only later use is on another goroutine: not a stop the test makes,
// and what that goroutine does with w is not followed.
func TestWatcherUsedOnAnotherGoroutine(t *testing.T) {
	w := watchlike.New()
	w.OnChange(func(path string) { t.Logf("changed: %s", path) })
	go func() {
		w.OnChange(func(string) {})
	}()
}

// A value kept as an interface, whose methods the keeper's goroutines
// call: a fake built with the test, handed to a service of the package.

type store interface{ Save(v int) error }

type storeService struct {
	store store
	done  chan struct{}
}

func newStoreService(s store) *storeService {
	return &storeService{store: s, done: make(chan struct{})}
}

func (s *storeService) SaveAsync(v int) {
	go func() {
		defer close(s.done)
		_ = s.store.Save(v)
	}()
}

// Wait waits for the save SaveAsync started.
func (s *storeService) Wait() { <-s.done }

type fakeStore struct{ t *testing.T }

func (f *fakeStore) Save(v int) error { // want Save:`reports\(logs=0\)`
	f.t.Logf("saved %d", v)
	return nil
}

func TestFakeKeptByAServiceThatSavesOnAGoroutine(t *testing.T) {
	s := newStoreService(&fakeStore{t: t})
	s.SaveAsync(1) // want `f.t.Logf \(bound to t by fakeStore{...} at line 171\) may run after TestFakeKeptByAServiceThatSavesOnAGoroutine has completed: newStoreService keeps the value and s.SaveAsync \(line 172\) runs it on goroutines of s that the test never stops`
}

func TestFakeKeptByAServiceTheTestWaitsFor(t *testing.T) {
	s := newStoreService(&fakeStore{t: t})
	s.SaveAsync(1)
	s.Wait()
}
