package fixedport

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"testing"
)

var handler = http.NotFoundHandler()

func TestNetListen(t *testing.T) {
	ln, err := net.Listen("tcp", ":8080") // want `the test listens on the fixed port 8080: test binaries of other packages run at the same time and so do parallel tests; listen on port 0 and take the address from the listener`
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	http.Get("http://" + ln.Addr().String())
}

func TestListenPacket(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:5000") // want `fixed port 5000`
	if err != nil {
		t.Fatal(err)
	}
	pc.Close()
}

func TestListenConfig(t *testing.T) {
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "localhost:6000") // want `fixed port 6000`
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}

func TestTLSListen(t *testing.T) {
	ln, err := tls.Listen("tcp", ":8443", &tls.Config{}) // want `fixed port 8443`
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}

func TestListenAndServeOnAGoroutine(t *testing.T) {
	go http.ListenAndServe("0.0.0.0:8081", handler) // want `fixed port 8081`
}

func TestListenAndServeTLS(t *testing.T) {
	go func() {
		_ = http.ListenAndServeTLS(":443", "cert.pem", "key.pem", handler) // want `fixed port 443`
	}()
}

func TestServerAddr(t *testing.T) {
	srv := &http.Server{Addr: ":80", Handler: handler}
	go srv.ListenAndServe() // want `fixed port 80`
	defer srv.Close()
}

func TestServerValueAddr(t *testing.T) {
	srv := http.Server{Addr: "localhost:7000"}
	go func() { srv.ListenAndServe() }() // want `fixed port 7000`
}

func TestIPv6(t *testing.T) {
	ln, _ := net.Listen("tcp6", "[::1]:2000") // want `fixed port 2000`
	ln.Close()
}

func TestMain(m *testing.M) {
	go http.ListenAndServe(":4222", nil) // want `fixed port 4222`
	os.Exit(m.Run())
}

// startServer is a helper of the test file: it takes a testing value.
func startServer(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", ":9090") // want `fixed port 9090`
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// helperHoldingT holds a testing value in its receiver.
type harness struct{ t *testing.T }

func (h *harness) start() {
	go http.ListenAndServe(":50051", handler) // want `fixed port 50051`
}

func ExampleServer() {
	go http.ListenAndServe(":8080", nil) // want `fixed port 8080`
	// Output:
}

// TestTCPOnTheQUICPort listens on TCP 4433, which does not collide with
// frameworks_test.go's UDP 4433.
func TestTCPOnTheQUICPort(t *testing.T) {
	ln, _ := net.Listen("tcp", ":4433") // want `fixed port 4433`
	ln.Close()
}
