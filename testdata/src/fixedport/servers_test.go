package fixedport

// Servers that keep the address they are built with, in a field, and
// listen on it when a method of theirs starts them.

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"appserver"
)

func TestServerConfiguredWithAFixedPort(t *testing.T) {
	srv := appserver.New(appserver.Config{Host: "localhost", Port: 8090})
	go srv.Run() // want `the test listens on the fixed port 8090 through srv.Run`
}

func TestServerBuiltOnAFixedAddress(t *testing.T) {
	go appserver.NewAt(":8091").Start() // want `the test listens on the fixed port 8091 through`
}

func TestServerStartedThroughAnotherMethod(t *testing.T) {
	srv := appserver.NewAt(":8092")
	go srv.Serve() // want `the test listens on the fixed port 8092 through srv.Serve`
}

func TestServerConfigInAVariable(t *testing.T) {
	cfg := appserver.Config{Port: 8093}
	srv := appserver.New(cfg)
	go srv.Run() // want `the test listens on the fixed port 8093 through srv.Run`
}

func TestListenOnALiteralsField(t *testing.T) {
	opts := struct{ Addr string }{Addr: ":8095"}
	ln, err := net.Listen("tcp", opts.Addr) // want `the test listens on the fixed port 8095`
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}

func TestServerConfiguredWithPortZero(t *testing.T) {
	go appserver.New(appserver.Config{Host: "localhost", Port: 0}).Run()
}

func TestServerConfiguredWithoutAPort(t *testing.T) {
	go appserver.New(appserver.Config{Host: "localhost"}).Run()
}

func TestServerConfigChangedBeforeTheStart(t *testing.T) {
	cfg := appserver.Config{Port: 8094}
	cfg.Port = freePort(t)
	go appserver.New(cfg).Run()
}

func TestServerAddressOnlyRead(t *testing.T) {
	srv := appserver.NewAt(":8096")
	_ = srv.Addr()
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestServerWhoseConstructorAssignsTheAddress(t *testing.T) {
	go appserver.NewNetwork("tcp", ":8097").Start() // want `the test listens on the fixed port 8097 through`
}

// A server kept in a field of the test's own type, started by a method
// of that type: the method listens on the address of its receiver's
// server.

type app struct{ srv *http.Server }

func (a *app) start() { go a.srv.ListenAndServe() }

func (a *app) run() error { return a.srv.ListenAndServe() }

func TestServerInAFieldStartedByAMethod(t *testing.T) {
	a := &app{srv: &http.Server{Addr: "127.0.0.1:8098"}}
	a.start() // want `the test listens on the fixed port 8098 through a.start`
	defer a.srv.Close()
}

func TestServerInAFieldRunByAMethod(t *testing.T) {
	a := &app{srv: &http.Server{Addr: "127.0.0.1:8099"}}
	go a.run() // want `the test listens on the fixed port 8099 through a.run`
	defer a.srv.Close()
}

func TestServerInAFieldGivenPortZeroBeforeTheStart(t *testing.T) {
	a := &app{srv: &http.Server{Addr: "127.0.0.1:8100"}}
	a.srv.Addr = "127.0.0.1:0"
	a.start()
	defer a.srv.Close()
}

// A field given its address after the value is built, in straight-line
// code: that store is what the start listens on, when it is the field's
// only one.

func TestServerAddrSetAfterItsLiteral(t *testing.T) {
	srv := &http.Server{Handler: http.NotFoundHandler()}
	srv.Addr = "127.0.0.1:8101"
	go srv.ListenAndServe() // want `the test listens on the fixed port 8101`
	defer srv.Close()
}

type gatewayOpts struct {
	Host string
	Port int
}

type serverOpts struct {
	Gateway gatewayOpts
}

type natsServer struct{ opts *serverOpts }

// start listens on its options' gateway port, through a local copy of
// the options pointer, as nats-server's servers read theirs.
func (s *natsServer) start() {
	opts := s.opts
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Gateway.Host, strconv.Itoa(opts.Gateway.Port)))
	if err == nil {
		ln.Close()
	}
}

func TestOptionsPortSetAfterTheirLiteral(t *testing.T) {
	o := &serverOpts{}
	o.Gateway.Host = "127.0.0.1"
	o.Gateway.Port = 8102
	s := &natsServer{opts: o}
	s.start() // want `the test listens on the fixed port 8102 through s.start`
}

func TestOptionsHostSetBesideALiteralsPort(t *testing.T) {
	o := &serverOpts{Gateway: gatewayOpts{Port: 8103}}
	o.Gateway.Host = "127.0.0.1"
	(&natsServer{opts: o}).start() // want `the test listens on the fixed port 8103`
}

func TestServerAddrSetInABranch(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:0"}
	if testing.Short() {
		srv.Addr = "127.0.0.1:8104"
	}
	go srv.ListenAndServe()
	defer srv.Close()
}

func TestServerAddrSetTwice(t *testing.T) {
	srv := &http.Server{}
	srv.Addr = "127.0.0.1:8105"
	srv.Addr = "127.0.0.1:0"
	go srv.ListenAndServe()
	defer srv.Close()
}

func TestOptionsGivenAFreePort(t *testing.T) {
	o := &serverOpts{}
	o.Gateway.Port = freePort(t)
	(&natsServer{opts: o}).start()
}

type getterServer struct {
	mu   sync.Mutex
	opts *serverOpts
}

// getOpts returns the receiver's options, as nats-server's getOpts does.
func (s *getterServer) getOpts() *serverOpts {
	s.mu.Lock()
	opts := s.opts
	s.mu.Unlock()
	return opts
}

func (s *getterServer) start() {
	opts := s.getOpts()
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Gateway.Host, strconv.Itoa(opts.Gateway.Port)))
	if err == nil {
		ln.Close()
	}
}

func TestOptionsReadThroughAGetter(t *testing.T) {
	o := &serverOpts{}
	o.Gateway.Port = 8106
	(&getterServer{opts: o}).start() // want `the test listens on the fixed port 8106`
}

// Negative: the field set through the pointer, a store not read as a
// path of fields.
func TestServerAddrSetThroughThePointer(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8107"}
	(*srv).Addr = "127.0.0.1:0"
	go srv.ListenAndServe()
	defer srv.Close()
}
