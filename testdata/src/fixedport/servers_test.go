package fixedport

// Servers that keep the address they are built with, in a field, and
// listen on it when a method of theirs starts them.

import (
	"net"
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
