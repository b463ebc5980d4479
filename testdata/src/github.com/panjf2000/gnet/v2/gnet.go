// Package gnet is a stub of panjf2000/gnet's Run, which listens on a
// "network://address".
package gnet

import (
	"errors"
	"net"
	"strings"
)

// EventHandler handles a server's events.
type EventHandler interface{}

// Option is an option of Run.
type Option func()

// ErrTooManyEventLoopThreads is Run's error for too many event loops.
var ErrTooManyEventLoopThreads = errors.New("too many event loops")

// Run listens on protoAddr and serves it until the server stops.
func Run(eventHandler EventHandler, protoAddr string, opts ...Option) error {
	network, addr, _ := strings.Cut(protoAddr, "://")
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	return ln.Close()
}
