package failnow

import (
	"net"
	"testing"

	"dialerlike"
	"routerlike"
	"watchlike"
)

// Callbacks that libraries keep in maps and slices of handlers and in
// fields of option structs, and call from goroutines of their own.

func TestRoutesRunByMethodValue(t *testing.T) {
	app := routerlike.New()
	app.Get("/", func(path string) {
		t.Fatal(path) // want `t.Fatal is called on a goroutine`
	})
	app.Listen()
}

// A dialer in an options struct, called by the client's connection
// goroutine.
func TestDialerCalledOnConnectionGoroutine(t *testing.T) {
	dialerlike.NewClient(dialerlike.Options{
		Dialer: func(network, addr string) (net.Conn, error) {
			c, err := net.Dial(network, addr)
			if err != nil {
				t.Fatal(err) // want `t.Fatal is called on a goroutine that dialerlike.NewClient starts`
			}
			return c, nil
		},
	})
}

// A poll loop started before the callback is kept runs it all the same.
func TestWatcherCallbackKeptAfterLoopStarts(t *testing.T) {
	w := watchlike.New()
	defer w.Close()
	w.OnChange(func(name string) {
		if name == "" {
			t.FailNow() // want `t.FailNow is called on a goroutine that watchlike.New starts`
		}
	})
}

// A constructor that keeps the callback and runs it, its result assigned.
func TestWatchKeepsAndRuns(t *testing.T) {
	w := watchlike.Watch(func(name string) {
		t.FailNow() // want `t.FailNow is called on a goroutine that watchlike.Watch starts`
	})
	w.Close()
}

// A helper that wraps the test's hook in the dialer it hands the client:
// the client runs the dialer, and so the hook, on its own goroutine.
func newHookedClient(onDial func()) *dialerlike.Client {
	return dialerlike.NewClient(dialerlike.Options{
		Dialer: func(network, addr string) (net.Conn, error) {
			onDial()
			return net.Dial(network, addr)
		},
	})
}

func TestHookWrappedInAKeptDialer(t *testing.T) {
	newHookedClient(func() {
		t.FailNow() // want `t.FailNow is called on a goroutine that newHookedClient starts`
	})
}
