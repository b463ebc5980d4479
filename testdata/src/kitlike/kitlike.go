// Package kitlike is go-kit's transport/http shape: a server is an
// http.Handler whose ServeHTTP calls the functions it holds in fields,
// which a test may set in a literal or after.
package kitlike

import "net/http"

// Server calls Before, then Handle, for each request; OnClose only when
// it is closed.
type Server struct {
	Before  func(*http.Request)
	Handle  func(http.ResponseWriter, *http.Request)
	OnClose func()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`callsstored=kitlike:func\(\*net/http.Request\),kitlike:func\(net/http.ResponseWriter, \*net/http.Request\)`
	if s.Before != nil {
		s.Before(r)
	}
	s.Handle(w, r)
}

// Close runs OnClose on the calling goroutine.
func (s *Server) Close() { // want Close:`callsstored=kitlike:func\(\)`
	if s.OnClose != nil {
		s.OnClose()
	}
}
