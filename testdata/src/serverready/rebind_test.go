package serverready

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"gate"
)

// A server started on the address of a listener or test server the test
// closed, however the address reaches it: another process can take the
// port in between. Retrying, serving the listener itself and a deferred
// close are no re-bind.

func TestCloseThenRebind(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	addr := ts.Listener.Addr().String()
	ts.Close()
	srv := &http.Server{Addr: addr} // want `the server listens on the address of a listener closed at line 24: another process can take the port in between`
	_ = srv
}

func TestCloseThenListen(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	net.Listen("tcp", addr) // want `the server listens on the address of a listener closed at line 32`
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

// The address reaches the server through the literal, built before the
// close: the start is what listens on it.
func TestRebindThroughStructLiteral(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Addr: ln.Addr().String(), Handler: http.NotFoundHandler()}
	ln.Close()
	go srv.ListenAndServe() // want `the server listens on the address of a listener closed at line 76`
}

// The address reaches the server through a constructor and a Run-style
// start.
func TestRebindThroughConstructor(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	g := gate.NewGate(&http.Server{Addr: ts.Listener.Addr().String()})
	ts.Close()
	go g.Run(context.Background()) // want `the server listens on the address of a listener closed at line 85`
}

// Serving the listener itself is the cure.
func TestServeTheListener(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Addr: ln.Addr().String(), Handler: http.NotFoundHandler()}
	go srv.Serve(ln)
	defer srv.Close()
}

// Another test server's address, still open, is no re-bind.
func TestOtherListenerStillOpen(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	other := httptest.NewServer(http.NotFoundHandler())
	other.Close()
	g := gate.NewGate(&http.Server{Addr: ts.Listener.Addr().String()})
	go g.Run(context.Background())
}

// A deferred close runs when the test returns, after the server is done.
func TestDeferredCloseIsNoRebind(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	srv := &http.Server{Addr: ln.Addr().String()}
	go srv.Serve(ln)
}

// fastServer listens on the address it is given, as fasthttp's Server does.
type fastServer struct{}

func (s *fastServer) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, nil)
}

func TestRebindThroughAServersListenMethod(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	var s fastServer
	s.ListenAndServe(addr) // want `the server listens on the address of a listener closed at line 128`
}

// A helper that listens on an address of its own (a management server it
// starts) and is handed the closed listener's address as something else
// (the backend a client it builds should reach): grpc's setupTestClient.
func startClientWithControlPlane(t *testing.T, backend string) *http.Client {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, nil)
	_ = backend
	return http.DefaultClient
}

func TestClosedAddressHandedToAHelperThatListensElsewhere(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closedBackend := ln.Addr().String()
	ln.Close()
	startClientWithControlPlane(t, closedBackend)
}

// loadAndServe listens on the address that the JSON configuration it is
// given names.
func loadAndServe(t *testing.T, config string) {
	var c struct{ Listen string }
	if err := json.Unmarshal([]byte(config), &c); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, nil)
}

func TestRebindThroughAJSONConfiguration(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	loadAndServe(t, fmt.Sprintf(`{"Listen": %q}`, addr)) // want `the server listens on the address of a listener closed at line 170`
}

type serverConfig struct {
	Host string
	Port int
}

// listenConfigured binds the configured port before it returns.
func listenConfigured(cfg serverConfig) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
}

func TestRebindThroughAConfigStructBoundSynchronously(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	srv, err := listenConfigured(serverConfig{Host: "127.0.0.1", Port: port}) // want `the server listens on the address of a listener closed at line 187`
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
}

func TestConfigStructGivenTheOpenListenersPortIsNotARebind(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	if _, err := listenConfigured(serverConfig{Host: "127.0.0.1", Port: port}); err == nil {
		t.Fatal("listening on a port in use succeeded")
	}
}

// The address reaches the server through a field of the server set after
// it is built: what is given a part of srv is carried by srv.
func TestRebindThroughAFieldSetAfterwards(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	srv := &http.Server{Handler: http.NotFoundHandler()}
	srv.Addr = addr
	go srv.ListenAndServe() // want `the server listens on the address of a listener closed at line 209`
}

// A mock that holds its listener and its address: closing the listener
// through the mock frees the address the mock keeps.
type listeningMock struct {
	ln   net.Listener
	addr string
}

func TestRebindThroughAMockHoldingTheListener(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	m := &listeningMock{ln: ln, addr: ln.Addr().String()}
	m.ln.Close()
	again, err := net.Listen("tcp", m.addr) // want `the server listens on the address of a listener closed at line 225`
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

func TestMockHoldingAnotherListenerIsNotARebind(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	other, _ := net.Listen("tcp", "127.0.0.1:0")
	m := &listeningMock{ln: other, addr: ln.Addr().String()}
	m.ln.Close()
	if _, err := net.Listen("tcp", m.addr); err == nil {
		t.Fatal("listening on a port in use succeeded")
	}
	ln.Close()
}
