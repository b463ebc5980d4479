// Package dialerlike is a client that calls the dialer it is given from
// its connection goroutine, whenever it (re)connects.
package dialerlike

import "net"

// Options configure a client.
type Options struct {
	Dialer func(network, addr string) (net.Conn, error)
	// OnMessage are the handlers each message goes to, in order.
	OnMessage []func(msg string) error
}

// Client is a client.
type Client struct{ opts Options }

// NewClient keeps opts and connects from a goroutine.
func NewClient(opts Options) *Client { // want NewClient:`stores=0:dialerlike:func\(string\) error@result,0:dialerlike:func\(string, string\) \(net.Conn, error\)@result runsstored=dialerlike:func\(string\) error,dialerlike:func\(string, string\) \(net.Conn, error\)`
	c := &Client{opts: opts}
	go c.connect()
	return c
}

func (c *Client) connect() { // want connect:`callsstored=dialerlike:func\(string\) error,dialerlike:func\(string, string\) \(net.Conn, error\)`
	conn, err := c.opts.Dialer("tcp", "127.0.0.1:1")
	if err == nil {
		conn.Close()
	}
	for _, h := range c.opts.OnMessage {
		h("connected")
	}
}
