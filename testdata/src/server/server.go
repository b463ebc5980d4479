// Package server is a tiny application server: its facts tell other
// packages that Run listens and that Start returns before it does.
package server

import (
	"context"
	"net"
	"net/http"
)

// Server serves the application.
type Server struct {
	srv *http.Server
}

// New returns a server for addr.
func New(addr string) *Server {
	return &Server{srv: &http.Server{Addr: addr, Handler: http.NotFoundHandler()}}
}

// Run listens and serves until ctx is done.
func (s *Server) Run(ctx context.Context) error { // want Run:"listens"
	go func() {
		<-ctx.Done()
		s.srv.Close()
	}()
	return s.srv.ListenAndServeTLS("cert.pem", "key.pem")
}

// Start serves on another goroutine and returns at once.
func (s *Server) Start() { // want Start:"unready"
	go s.srv.ListenAndServe()
}

// StartReady listens first, then serves on another goroutine.
func (s *Server) StartReady() error { // want StartReady:"listens"
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return err
	}
	go s.srv.Serve(ln)
	return nil
}

// WaitReady polls until the server answers.
func WaitReady(url string) { // want WaitReady:"dials waits"
	for {
		if _, err := http.Get(url); err == nil {
			return
		}
	}
}
