// Package muxlike stands for a library that keeps handlers in a
// package-level mux (miekg/dns's HandleFunc and DefaultServeMux) and whose
// servers, started with a method, run them on goroutines of their own.
package muxlike

import "net"

type HandlerFunc func(c net.Conn)

type Mux struct{ routes map[string]HandlerFunc }

var DefaultMux = &Mux{routes: map[string]HandlerFunc{}}

// HandleFunc keeps h in DefaultMux.
func HandleFunc(pattern string, h HandlerFunc) { DefaultMux.routes[pattern] = h }

func (m *Mux) serve(c net.Conn) {
	for _, h := range m.routes {
		h(c)
	}
}

type Server struct{ Listener net.Listener }

// ActivateAndServe runs DefaultMux's handlers on a goroutine for each
// connection.
func (s *Server) ActivateAndServe() error {
	for {
		c, err := s.Listener.Accept()
		if err != nil {
			return err
		}
		go DefaultMux.serve(c)
	}
}

// ServeConn runs DefaultMux's handlers for c on the calling goroutine.
func (s *Server) ServeConn(c net.Conn) { DefaultMux.serve(c) }
