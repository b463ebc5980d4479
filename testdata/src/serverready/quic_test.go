package serverready

// QUIC servers listen on UDP: one started on a goroutine is not ready
// before it has bound its socket; one served on a socket the test bound
// is.

import (
	"net"
	"net/http"
	"testing"

	"github.com/quic-go/quic-go/http3"
)

func TestQUICServerStartedOnAGoroutine(t *testing.T) {
	srv := &http3.Server{Addr: "127.0.0.1:9443", Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	http.Get("https://127.0.0.1:9443/") // want `request may run before the server started at line 17 listens`
}

func TestQUICServerOnABoundSocket(t *testing.T) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http3.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(conn)
	http.Get("https://" + conn.LocalAddr().String() + "/")
}
