// Package echo is a stub of labstack/echo's shapes that listen.
package echo

import "net/http"

// Echo is a router.
type Echo struct{ Server *http.Server }

// New returns a router.
func New() *Echo { return &Echo{Server: new(http.Server)} }

// Start listens on address.
func (e *Echo) Start(address string) error {
	e.Server.Addr = address
	return e.Server.ListenAndServe()
}
