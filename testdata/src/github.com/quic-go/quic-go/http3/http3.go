// Package http3 is a stub of quic-go's HTTP/3 server: it listens on UDP.
package http3

import (
	"net"
	"net/http"
)

// Server serves HTTP/3 on Addr, or on the packet socket Serve is given.
type Server struct {
	Addr    string
	Handler http.Handler
}

// ListenAndServe listens on s.Addr (UDP) and serves.
func (s *Server) ListenAndServe() error { return nil }

// Serve serves on conn; on s.Addr when conn is nil.
func (s *Server) Serve(conn net.PacketConn) error {
	if conn == nil {
		return s.ListenAndServe()
	}
	return nil
}

// ListenAndServeQUIC listens on addr (UDP) and serves handler.
func ListenAndServeQUIC(addr, certFile, keyFile string, handler http.Handler) error { return nil }
