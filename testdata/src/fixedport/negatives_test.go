package fixedport

import (
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var listenFlag = flag.String("listen", ":8095", "address to listen on")

var listenVar string

func init() { flag.StringVar(&listenVar, "listen2", ":8096", "address to listen on") }

func TestPortZero(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go http.Serve(ln, nil)
	http.Get("http://" + ln.Addr().String())
}

func TestAddressFromAListener(t *testing.T) {
	ln, _ := net.Listen("tcp", ":0")
	addr := ln.Addr().String()
	ln.Close()
	ln2, _ := net.Listen("tcp", addr)
	ln2.Close()
}

func TestAddressFromAFlagOrEnv(t *testing.T) {
	go http.ListenAndServe(*listenFlag, nil)
	go http.ListenAndServe(listenVar, nil)
	go http.ListenAndServe(os.Getenv("ADDR"), nil)
}

func TestUnixSocket(t *testing.T) {
	ln, _ := net.Listen("unix", filepath.Join(t.TempDir(), "s.sock"))
	ln.Close()
	ln2, _ := net.Listen("unix", "localhost:8097")
	ln2.Close()
}

func TestDialsAFixedPort(t *testing.T) {
	conn, err := net.Dial("tcp", "localhost:5432")
	if err == nil {
		conn.Close()
	}
	http.Get("http://localhost:8080/")
}

func ExampleListenAndServe() {
	http.ListenAndServe(":8080", nil)
}

func TestPortThatCannotBeBound(t *testing.T) {
	_, err := net.Listen("tcp", ":99999")
	if err == nil {
		t.Fatal("want an error")
	}
}

func TestExpectedError(t *testing.T) {
	ln, err := net.Listen("tcp", ":1")
	if err == nil {
		ln.Close()
		t.Skip("can bind a privileged port")
	}
	assert.Error(t, http.ListenAndServe(":2", nil))
	err = http.ListenAndServe(":3", nil)
	require.Error(t, err)
}

func TestSecondListenPanicsIfItWorks(t *testing.T) {
	go func() {
		if err := http.ListenAndServe(":4", nil); err == nil {
			panic("want an error: the port is taken")
		}
	}()
}

// TestURLAsAnAddress gives a URL where an address goes: the listen fails,
// as nats-server's "responder that fails" wants.
func TestURLAsAnAddress(t *testing.T) {
	go http.ListenAndServe("http://127.0.0.1:8889", nil)
	srv := serveAt(t, "http://127.0.0.1:8889", nil)
	defer srv.Close()
}

func TestServerServedOnAGivenListener(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Addr: ":8098", Handler: handler}
	go srv.Serve(ln)
	defer srv.Close()
}

func TestServerAddrSetLater(t *testing.T) {
	srv := &http.Server{Addr: ":8099"}
	srv.Addr = "127.0.0.1:0"
	go srv.ListenAndServe()
}

func serveGiven(t *testing.T, srv *http.Server) {
	go srv.ListenAndServe()
}

func TestServiceName(t *testing.T) {
	ln, _ := net.Listen("tcp", ":http-alt")
	ln.Close()
}
