// Package dnslike stands for miekg/dns: HandleFunc takes a plain
// function, which a method of the package-level mux converts to
// HandlerFunc, a Handler, and keeps in a map of Handlers; a Server serves
// its Handler field, the mux when none is given, on a goroutine for each
// connection.
package dnslike

import "net"

type Handler interface{ ServeDNS(c net.Conn) }

type HandlerFunc func(c net.Conn)

func (f HandlerFunc) ServeDNS(c net.Conn) { f(c) } // want ServeDNS:"calls=0"

type ServeMux struct{ z map[string]Handler }

var DefaultServeMux = &ServeMux{z: map[string]Handler{}}

func (mux *ServeMux) Handle(pattern string, handler Handler) { mux.z[pattern] = handler } // want Handle:"stores=2:dnslike.Handler@0"

func (mux *ServeMux) HandleFunc(pattern string, handler func(c net.Conn)) { // want HandleFunc:"stores=2:dnslike.Handler@0"
	mux.Handle(pattern, HandlerFunc(handler))
}

func (mux *ServeMux) ServeDNS(c net.Conn) { // want ServeDNS:"callsstored=dnslike.Handler"
	if h := mux.match("x"); h != nil {
		h.ServeDNS(c)
	}
}

func (mux *ServeMux) match(q string) Handler { return mux.z[q] }

// HandleFunc keeps handler in DefaultServeMux.
func HandleFunc(pattern string, handler func(c net.Conn)) { // want HandleFunc:"stores=1:dnslike.Handler"
	DefaultServeMux.HandleFunc(pattern, handler)
}

type Server struct {
	Listener net.Listener
	Handler  Handler
}

// ActivateAndServe serves the Handler, DefaultServeMux by default, on a
// goroutine for each connection.
func (srv *Server) ActivateAndServe() error { // want ActivateAndServe:"stores=0:dnslike.Handler runsstored=dnslike.Handler"
	if srv.Handler == nil {
		srv.Handler = DefaultServeMux
	}
	for {
		c, err := srv.Listener.Accept()
		if err != nil {
			return err
		}
		go srv.serveConn(c)
	}
}

func (srv *Server) serveConn(c net.Conn) { srv.Handler.ServeDNS(c) } // want serveConn:"callsstored=dnslike.Handler"
