// Package fasthttplike is a stub of valyala/fasthttp's shapes: a Server
// that calls its Handler field for each request it serves.
package fasthttplike

import "net"

// RequestCtx is one request.
type RequestCtx struct{ Path string }

// RequestHandler handles a request.
type RequestHandler func(ctx *RequestCtx)

// Server calls Handler for every request.
type Server struct {
	Handler RequestHandler
}

// ServeConn serves the requests of c, on the calling goroutine.
func (s *Server) ServeConn(c net.Conn) error { // want ServeConn:"callsstored=fasthttplike.RequestHandler"
	ctx := &RequestCtx{Path: "/"}
	s.Handler(ctx)
	return nil
}

// Serve serves each connection that ln accepts on a goroutine of its own.
func (s *Server) Serve(ln net.Listener) error { // want Serve:"runsstored=fasthttplike.RequestHandler"
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.ServeConn(c)
	}
}
