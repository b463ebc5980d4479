// Package httptest is a test double of Go 1.27's net/http/httptest for
// the analyzers' tests, which Go 1.26 builds and whose standard library
// has no NewTestServer: the API serverready knows, without the code (a
// copy of net/http/httptest at a path that ends with it counts as it).
package httptest

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"testing"
)

// Server is httptest.Server.
type Server struct {
	URL         string // set by the first Client, Start or StartTLS
	Listener    net.Listener
	EnableHTTP2 bool
	TLS         *tls.Config
	Config      *http.Server
}

// NewTestServer returns a server on an in-memory network, closed by a
// cleanup of t.
func NewTestServer(t testing.TB, handler http.Handler) *Server {
	s := &Server{Config: &http.Server{Handler: handler}}
	t.Cleanup(s.Close)
	return s
}

// NewServer returns a started server listening on a loopback port.
func NewServer(handler http.Handler) *Server { return &Server{Config: &http.Server{Handler: handler}} }

// Start listens on a loopback port and sets URL.
func (s *Server) Start() {}

// StartTLS listens on a loopback port with TLS and sets URL.
func (s *Server) StartTLS() {}

// Client starts the in-memory network, if Start was not called, sets URL,
// and returns the client that reaches the server.
func (s *Server) Client() *http.Client { return &http.Client{} }

// Close shuts the server down.
func (s *Server) Close() {}

// CloseClientConnections closes the clients' connections.
func (s *Server) CloseClientConnections() {}

// Certificate returns the server's certificate.
func (s *Server) Certificate() *x509.Certificate { return nil }
