// Package echo is a stub of labstack/echo's shapes that listen.
package echo

import (
	"errors"
	"net/http"
)

// Echo is a router.
type Echo struct{ Server *http.Server }

// New returns a router.
func New() *Echo { return &Echo{Server: new(http.Server)} }

// Start listens on address.
func (e *Echo) Start(address string) error {
	e.Server.Addr = address
	return e.Server.ListenAndServe()
}

// ErrInvalidListenerNetwork is Start's error for a network it cannot
// listen on.
var ErrInvalidListenerNetwork = errors.New("invalid listener network")
