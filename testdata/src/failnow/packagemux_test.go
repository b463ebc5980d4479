package failnow

import (
	"net"
	"testing"

	"muxlike"
)

// A handler kept in a library's package-level mux (muxlike.HandleFunc,
// as miekg/dns's) is run by any server of that library that serves the
// mux, also one started with a method of its own.

func TestHandlerInAPackageMuxServedByAMethod(t *testing.T) {
	muxlike.HandleFunc("x", func(c net.Conn) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that srv.ActivateAndServe starts at line 19 \(muxlike.HandleFunc keeps the callback at line 15`
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
