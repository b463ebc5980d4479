// Package childlike is a server in the manner of net/http/fcgi's child
// server: it keeps the handler it is given and serves each connection,
// and each request on it, on a goroutine of its own.
package childlike

import (
	"net"
	"net/http"
)

type child struct {
	conn    net.Conn
	handler http.Handler
}

func newChild(conn net.Conn, handler http.Handler) *child { // want newChild:"stores=1:net/http.Handler@result"
	return &child{conn: conn, handler: handler}
}

// Serve accepts connections on l and serves them with handler.
func Serve(l net.Listener, handler http.Handler) error { // want Serve:"stores=1:net/http.Handler runsstored=net/http.Handler"
	for {
		rw, err := l.Accept()
		if err != nil {
			return err
		}
		c := newChild(rw, handler)
		go c.serve()
	}
}

func (c *child) serve() { // want serve:"runsstored=net/http.Handler"
	req, _ := http.NewRequest("GET", "/", nil)
	go c.serveRequest(req)
}

func (c *child) serveRequest(req *http.Request) { // want serveRequest:"callsstored=net/http.Handler"
	c.handler.ServeHTTP(nil, req)
}

// Handle serves one request with h on the calling goroutine.
func Handle(h http.Handler, req *http.Request) {
	h.ServeHTTP(nil, req)
}

// A Server serves with the handler it was made with.
type Server struct {
	handler http.Handler
	reqs    chan *http.Request
}

// NewServer returns a server that serves with h once started.
func NewServer(h http.Handler) *Server { // want NewServer:"stores=0:net/http.Handler@result"
	return &Server{handler: h, reqs: make(chan *http.Request)}
}

// Start serves requests on a goroutine of its own.
func (s *Server) Start() { // want Start:"runsstored=net/http.Handler"
	go s.loop()
}

func (s *Server) loop() { // want loop:"waits callsstored=net/http.Handler"
	for req := range s.reqs {
		s.handler.ServeHTTP(nil, req)
	}
}

// ServeOne serves req on the calling goroutine.
func (s *Server) ServeOne(req *http.Request) { // want ServeOne:"callsstored=net/http.Handler"
	s.handler.ServeHTTP(nil, req)
}
