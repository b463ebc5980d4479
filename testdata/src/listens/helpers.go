// Package listens holds helpers that listen on what they are given, and
// some that do not: the facts say which of their operands is the address.
package listens

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"testing"

	"github.com/panjf2000/gnet/v2"
)

// listenOn listens on the address it is given.
func listenOn(t *testing.T, addr string) net.Listener { // want listenOn:"listenson addr=1"
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveOnPort builds its address from the port it is given, in a closure.
func serveOnPort(t *testing.T, port int) { // want serveOnPort:"listenson port=1"
	go func() {
		http.ListenAndServe(":"+strconv.Itoa(port), nil)
	}()
}

// nested passes its address on to another helper.
func nested(t *testing.T, host string, port string) net.Listener { // want nested:"listenson port=2"
	return listenOn(t, net.JoinHostPort(host, port))
}

// serveAt builds a server on the address it is given and serves it.
func serveAt(t *testing.T, addr string, h http.Handler) *http.Server { // want serveAt:"listenson addr=1"
	srv := &http.Server{Addr: addr, Handler: h}
	go srv.ListenAndServe()
	return srv
}

// listenNet listens on the network it is given too.
func listenNet(t *testing.T, network, addr string) net.Listener { // want listenNet:"listenson addr=2 network=1"
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// runScheme listens on network://addr, as gnet's Run does.
func runScheme(t *testing.T, network, addr string) { // want runScheme:"listenson addr=2 network=1"
	go gnet.Run(nil, network+"://"+addr)
}

type fixture struct{ t *testing.T }

// listen is a method: its receiver is operand 0.
func (f *fixture) listen(addr string) net.Listener { // want listen:"listenson addr=1"
	return listenOn(f.t, addr)
}

// clientWithControlPlane listens on an address of its own (a management
// server it starts) and is handed another as something else (the backend
// a client it builds should reach): it listens on none of its operands.
func clientWithControlPlane(t *testing.T, backend string) *http.Client {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, nil)
	_ = backend
	return http.DefaultClient
}

// unixSocket listens on a path: no port.
func unixSocket(t *testing.T, path string) net.Listener {
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// loadAndListen listens on the address a JSON configuration names: it is
// told by no operand the folder follows.
func loadAndListen(t *testing.T, config string) net.Listener { // want loadAndListen:"listenson untold"
	var c struct{ Listen string }
	if err := json.Unmarshal([]byte(config), &c); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// viaLoader listens through loadAndListen.
func viaLoader(t *testing.T, config string) net.Listener { // want viaLoader:"listenson untold"
	return loadAndListen(t, config)
}
