package fixedport

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"testing"

	"github.com/panjf2000/gnet/v2"

	"fixedport/testutil"
)

// listenOn listens on the address it is given.
func listenOn(t *testing.T, addr string) net.Listener {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveOnPort builds its address from the port it is given, in a closure.
func serveOnPort(t *testing.T, port int) {
	go func() {
		http.ListenAndServe(":"+strconv.Itoa(port), nil)
	}()
}

// nested passes its address on to another helper.
func nested(t *testing.T, host string, port string) net.Listener {
	return listenOn(t, net.JoinHostPort(host, port))
}

// serveAt builds a server on the address it is given and serves it.
func serveAt(t *testing.T, addr string, h http.Handler) *http.Server {
	srv := &http.Server{Addr: addr, Handler: h}
	go srv.ListenAndServe()
	return srv
}

// listenNet listens on the network it is given too.
func listenNet(t *testing.T, network, addr string) net.Listener {
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// runScheme listens on network://addr, as gnet's Run does.
func runScheme(t *testing.T, network, addr string) {
	go gnet.Run(nil, network+"://"+addr)
}

type fixture struct{ t *testing.T }

// listen is a method: its receiver is operand 0.
func (f *fixture) listen(addr string) net.Listener {
	return listenOn(f.t, addr)
}

func TestHelperGivenAConstant(t *testing.T) {
	ln := listenOn(t, ":8080") // want `the test listens on the fixed port 8080 through listenOn: test binaries`
	ln.Close()
}

func TestHelperGivenAPort(t *testing.T) {
	serveOnPort(t, 8081) // want `fixed port 8081 through serveOnPort`
}

func TestServerHelper(t *testing.T) {
	srv := serveAt(t, "localhost:8087", nil) // want `fixed port 8087 through serveAt`
	defer srv.Close()
}

func TestNetworkHelpers(t *testing.T) {
	listenNet(t, "tcp", ":8088").Close() // want `fixed port 8088 through listenNet`
	runScheme(t, "udp", ":8088")         // want `fixed port 8088 through runScheme`
	listenNet(t, "unix", "s:8088").Close()
	runScheme(t, "unix", "s:8088")
}

func TestNestedHelper(t *testing.T) {
	nested(t, "localhost", "9000") // want `fixed port 9000 through nested`
}

func TestMethodHelper(t *testing.T) {
	f := &fixture{t: t}
	f.listen(fmt.Sprintf("127.0.0.1:%d", 7070)) // want `fixed port 7070 through f.listen`
}

func TestHelperOfAnotherPackage(t *testing.T) {
	testutil.Serve(t, ":9090", http.NotFoundHandler())  // want `fixed port 9090 through testutil.Serve`
	testutil.ServePort(t, 9091, http.NotFoundHandler()) // want `fixed port 9091 through testutil.ServePort`
}

// Negatives.

func TestHelperGivenPortZero(t *testing.T) {
	listenOn(t, "127.0.0.1:0").Close()
	serveOnPort(t, 0)
}

func TestHelperListensOnItsOwnFreePort(t *testing.T) {
	testutil.Listen(t).Close()
}

func TestHelperGivenAParameter(t *testing.T) {
	run := func(addr string) { listenOn(t, addr).Close() }
	run(":8080")
}
