// Package appserver is a program's server, built from its configuration
// and started by a method of its own: tests build it with an address and
// start it. The facts say which fields the constructors fill and which
// the starts listen on.
package appserver

import (
	"fmt"
	"net/http"
)

type Config struct {
	Host    string
	Port    int
	Handler http.Handler
}

type Server struct {
	cfg  Config
	addr string
}

// New keeps its configuration.
func New(cfg Config) *Server { // want New:"listenson holds=cfg<0"
	return &Server{cfg: cfg}
}

// NewAt keeps the address it is given, through a variable.
func NewAt(addr string) *Server { // want NewAt:"listenson holds=addr<0"
	s := &Server{addr: addr}
	return s
}

// Run listens on the configured host and port.
func (s *Server) Run() error { // want Run:"listenson fields=port:0.cfg.Port"
	return http.ListenAndServe(fmt.Sprintf("%s:%d", s.cfg.Host, s.cfg.Port), s.cfg.Handler)
}

// Start listens on the address it was built with, through an http.Server.
func (s *Server) Start() error { // want Start:"listenson fields=0.addr"
	srv := &http.Server{Addr: s.addr}
	return srv.ListenAndServe()
}

// Serve starts it through another method.
func (s *Server) Serve() error { // want Serve:"listenson fields=0.addr"
	return s.Start()
}

// Addr is what the server was built with; it listens on nothing.
func (s *Server) Addr() string { return s.addr }

// NewNetwork fills the fields of a server it got from another
// constructor, one assignment at a time.
func NewNetwork(network, addr string) *Server { // want NewNetwork:"listenson holds=addr<1"
	s := newServer()
	s.addr = addr
	return s
}

func newServer() *Server { return &Server{} }
