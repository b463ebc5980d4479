package serverready

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCloseThenRebind(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	addr := ts.Listener.Addr().String()
	ts.Close()
	srv := &http.Server{Addr: addr} // want `the server listens on the address of a listener closed at line 13: another process can take the port in between`
	_ = srv
}

func TestCloseThenListen(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	net.Listen("tcp", addr) // want `the server listens on the address of a listener closed at line 21`
}

// The free port goes to something other than a listener of this test.
func TestFreePortForAnotherProcess(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_ = []string{"--listen", addr}
}

// Retrying when the port was taken handles the race.
func TestRebindRetryLoop(t *testing.T) {
	for i := 0; i < 3; i++ {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		if ln2, err := net.Listen("tcp", addr); err == nil {
			ln2.Close()
			break
		}
	}
}

// The net/http tests' shape: try again when the server fails to start.
func TestRebindRetryServer(t *testing.T) {
	for try := 0; try < 5; try++ {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		s := &http.Server{Addr: addr}
		if err := s.ListenAndServe(); err != nil {
			continue
		}
		break
	}
}
