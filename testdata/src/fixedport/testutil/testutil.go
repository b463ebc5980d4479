package testutil // want package:"ports 9090"

// The package holds test helpers that listen: one on the address it is
// given, one on a port it is given, and one on a port of its own.

import (
	"fmt"
	"net"
	"net/http"
	"testing"
)

// Serve listens on addr and serves h on a goroutine.
func Serve(t testing.TB, addr string, h http.Handler) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go http.Serve(ln, h)
}

// ServePort listens on port of localhost.
func ServePort(t testing.TB, port int, h http.Handler) {
	Serve(t, fmt.Sprintf("localhost:%d", port), h)
}

// StartMetrics listens on the fixed port 9090.
func StartMetrics(t testing.TB) {
	ServePort(t, 9090, http.NotFoundHandler()) // want `the test listens on the fixed port 9090 through ServePort: test binaries of other packages run at the same time and so do parallel tests; listen on port 0 and take the address from the listener`
}

// Listen listens on a free port: no finding.
func Listen(t testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// ListenAndServe is a program's, not a test's: it takes no testing value.
func ListenAndServe() error { return http.ListenAndServe(":8080", nil) }
