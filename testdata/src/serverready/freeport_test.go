package serverready

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"testing"
)

// Ports found free by a helper that listens on port 0, closes the
// listener and returns the port: whoever listens on it again races every
// other process for it.

func freePort(t *testing.T) int { // want freePort:"freed"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func freeAddr(t *testing.T) string { // want freeAddr:"freed"
	return fmt.Sprintf("127.0.0.1:%d", freePort(t))
}

func TestFreePortToServerAddr(t *testing.T) {
	port := freePort(t)
	srv := &http.Server{Addr: fmt.Sprintf("127.0.0.1:%d", port)} // want `the server listens on a port that freePort \(line 29\) found free by listening on it and closing the listener: another process can take the port in between`
	go srv.ListenAndServe()
}

func TestFreePortJoinHostPort(t *testing.T) {
	port := freePort(t)
	net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))) // want `the server listens on a port that freePort \(line 35\) found free`
}

func TestFreeAddrThroughTwoHelpers(t *testing.T) {
	addr := freeAddr(t)
	http.ListenAndServe(addr, nil) // want `the server listens on a port that freeAddr \(line 40\) found free`
}

// Dialing the free port, to see a refused connection, listens on nothing.
func TestFreePortDialed(t *testing.T) {
	port := freePort(t)
	http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
}

func openListener(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// A helper that keeps its listener open hands it over: no race.
func TestOpenListenerServed(t *testing.T) {
	ln := openListener(t)
	go http.Serve(ln, nil)
	http.Get("http://" + ln.Addr().String() + "/")
}

// The same helper written as a function literal in a variable.
func TestFreePortFromALiteral(t *testing.T) {
	free := func() int {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port
	}
	port := free()
	net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)) // want `the server listens on a port that free \(line 75\) found free`
}

// A literal that keeps its listener open hands it over: no race.
func TestOpenListenerFromALiteral(t *testing.T) {
	open := func() net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln
	}
	ln := open()
	go http.Serve(ln, nil)
	http.Get("http://" + ln.Addr().String() + "/")
}
