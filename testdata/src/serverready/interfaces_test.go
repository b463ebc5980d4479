package serverready

import (
	"net/http"
	"testing"
)

// A server started through an interface value whose concrete types the
// package's code shows: the start runs those types' methods, and a
// request sent before one of them listens races it.

type starter interface{ Start() error }

type appServer struct{ addr string }

func (s *appServer) Start() error { return http.ListenAndServe(s.addr, nil) }

type idleServer struct{}

func (idleServer) Start() error { return nil }

func newStarter(addr string) starter { return &appServer{addr: addr} }

func TestStartThroughInterface(t *testing.T) {
	var s starter = &appServer{addr: "127.0.0.1:8090"}
	go s.Start()
	http.Get("http://127.0.0.1:8090/") // want `request may run before the server started at line 26 listens`
}

func TestStartThroughFactoryInterface(t *testing.T) {
	s := newStarter("127.0.0.1:8091")
	go s.Start()
	http.Get("http://127.0.0.1:8091/") // want `request may run before the server started at line 32 listens`
}

// Negatives: what the interface holds does not listen, or is not known
// where the start is (a parameter).

func TestStartThroughInterfaceOfIdleServer(t *testing.T) {
	var s starter = idleServer{}
	go s.Start()
	http.Get("http://127.0.0.1:8092/")
}

func startAndGet(s starter, url string) {
	go s.Start()
	http.Get(url)
}

func TestStartThroughInterfaceParameter(t *testing.T) {
	startAndGet(idleServer{}, "http://127.0.0.1:8093/")
}
