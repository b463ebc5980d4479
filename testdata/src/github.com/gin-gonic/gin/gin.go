// Package gin is a stub of gin-gonic/gin's shapes that listen: Run takes
// an optional address and, given none, listens on $PORT or :8080.
package gin

import (
	"net"
	"net/http"
	"os"
)

// Engine is a router.
type Engine struct{}

// Default returns an engine.
func Default() *Engine { return &Engine{} }

// ServeHTTP serves a request.
func (engine *Engine) ServeHTTP(http.ResponseWriter, *http.Request) {}

// Run listens on addr, or on :8080 given none.
func (engine *Engine) Run(addr ...string) error {
	return http.ListenAndServe(resolveAddress(addr), engine)
}

// RunTLS listens on addr with TLS.
func (engine *Engine) RunTLS(addr, certFile, keyFile string) error {
	return http.ListenAndServeTLS(addr, certFile, keyFile, engine)
}

// RunListener serves the listener it is given.
func (engine *Engine) RunListener(ln net.Listener) error { return http.Serve(ln, engine) }

func resolveAddress(addr []string) string {
	if len(addr) == 0 {
		if port := os.Getenv("PORT"); port != "" {
			return ":" + port
		}
		return ":8080"
	}
	return addr[0]
}

// RunQUIC listens on addr over UDP.
func (engine *Engine) RunQUIC(addr, certFile, keyFile string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	return pc.Close()
}
