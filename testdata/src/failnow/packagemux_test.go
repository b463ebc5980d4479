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
