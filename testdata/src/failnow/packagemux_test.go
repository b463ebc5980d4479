package failnow

import (
	"net"
	"testing"

	"dnslike"
	"muxlike"
)

// A handler kept in a library's package-level mux (muxlike.HandleFunc,
// as miekg/dns's) is run by any server of that library that serves the
// mux, also one started with a method of its own.

func TestHandlerInAPackageMuxServedByAMethod(t *testing.T) {
	muxlike.HandleFunc("x", func(c net.Conn) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that srv.ActivateAndServe starts at line 20 \(muxlike.HandleFunc keeps the callback at line 16`
	})
	srv := &muxlike.Server{}
	go srv.ActivateAndServe()
}

// Negative: the server runs the handler on the calling goroutine.
func TestHandlerInAPackageMuxServedHere(t *testing.T) {
	muxlike.HandleFunc("x", func(c net.Conn) {
		t.Fatal("x")
	})
	srv := &muxlike.Server{}
	srv.ServeConn(nil)
}

// The same with a mux that keeps Handlers, given a plain function that
// one of its methods converts to HandlerFunc (miekg/dns's HandleFunc).
func TestPlainFunctionConvertedInAPackageMux(t *testing.T) {
	dnslike.HandleFunc("x", func(c net.Conn) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that srv.ActivateAndServe starts at line 39 \(dnslike.HandleFunc keeps the callback at line 35`
	})
	srv := &dnslike.Server{}
	go srv.ActivateAndServe()
}

// Negative: the mux's handlers, run on the calling goroutine.
func TestPlainFunctionConvertedServedHere(t *testing.T) {
	dnslike.HandleFunc("x", func(c net.Conn) {
		t.Fatal("x")
	})
	dnslike.DefaultServeMux.ServeDNS(nil)
}

// A handler value given in the server's own Handler field, an interface:
// the method that starts the server runs the handler's methods on its
// goroutines (memberlist's dns.Server{Handler: dnsHandler{t}}).

type dnsHandler struct{ t *testing.T }

func (h dnsHandler) ServeDNS(c net.Conn) {
	if c == nil {
		h.t.Fatal("no conn") // want `h.t.Fatal is called on a goroutine that srv.ActivateAndServe starts at line 64 \(it keeps the callback and runs it from there\)`
	}
}

func TestHandlerValueInTheServersField(t *testing.T) {
	srv := &dnslike.Server{Handler: dnsHandler{t}}
	go srv.ActivateAndServe()
}

// Negative: the handler's method called on the test's goroutine.
type localHandler struct{ t *testing.T }

func (h localHandler) ServeDNS(c net.Conn) { h.t.Fatal("x") }

func TestHandlerValueCalledHere(t *testing.T) {
	srv := &dnslike.Server{Handler: localHandler{t}}
	srv.Handler.ServeDNS(nil)
}

// Negative: a harness whose method starts a server that keeps handlers,
// and which has a method of the handlers' name itself. The harness is
// what the method is called on, not a handler the server holds (as
// nats-server's mqttTarget.Reload restarts its servers).
type restartingHarness struct {
	srv *dnslike.Server
	t   *testing.T
}

func (h *restartingHarness) ServeDNS(c net.Conn) { h.t.Fatal("x") }

func (h *restartingHarness) restart() { go h.srv.ActivateAndServe() }

func TestHarnessThatRestartsItsServer(t *testing.T) {
	h := &restartingHarness{srv: &dnslike.Server{}, t: t}
	h.restart()
	h.ServeDNS(nil)
}
