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

func newChild(conn net.Conn, handler http.Handler) *child {
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
