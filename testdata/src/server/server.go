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

// With starts a server on another goroutine and calls f with its URL at
// once: the requests f sends race the listener.
func With(addr string, f func(url string)) { // want With:"unready callspending=1"
	go http.ListenAndServe(addr, nil)
	f("http://" + addr)
}

// WithReady listens first, then calls f.
func WithReady(addr string, f func(url string)) error { // want WithReady:"listens"
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go http.Serve(ln, nil)
	f("http://" + ln.Addr().String())
	return nil
}

// Client is a connection that has had the server's greeting.
type Client struct{ conn net.Conn }

// Connect dials addr, then waits for the server's greeting: its dial may
// come before a server that is starting listens.
func Connect(addr string) (*Client, error) { // want Connect:"dials waits dialsfirst"
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn}
	return c, c.greeting()
}

// greeting waits for the server's first byte.
func (c *Client) greeting() error { // want greeting:"waits"
	done := make(chan error, 1)
	go func() {
		_, err := c.conn.Read(make([]byte, 1))
		done <- err
	}()
	return <-done
}
