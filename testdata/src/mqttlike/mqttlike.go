// Package mqttlike is a client built from options, as paho's: the options
// keep the handlers, NewClient copies them into the client it returns
// behind an interface, and Connect runs them on a goroutine of its own.
package mqttlike

// MessageHandler receives the messages no route takes.
type MessageHandler func(c Client, msg string)

// Options keep the client's handlers until NewClient copies them.
type Options struct {
	Default MessageHandler
}

// NewOptions returns empty options.
func NewOptions() *Options { return &Options{} }

// SetDefaultHandler keeps h.
func (o *Options) SetDefaultHandler(h MessageHandler) *Options { // want SetDefaultHandler:`stores=1:mqttlike.MessageHandler@0`
	o.Default = h
	return o
}

// Client is what NewClient returns.
type Client interface {
	Connect() error // want Connect:`runsstored=mqttlike.MessageHandler`
	Disconnect()
}

type client struct {
	options    Options
	stop, done chan struct{}
}

// NewClient copies the options, and their handlers, into a client.
func NewClient(o *Options) Client { // want NewClient:`stores=0:mqttlike.MessageHandler@result`
	c := &client{stop: make(chan struct{}), done: make(chan struct{})}
	c.options = *o
	return c
}

// Connect delivers messages to the default handler on a goroutine.
func (c *client) Connect() error { // want Connect:`runsstored=mqttlike.MessageHandler`
	go c.deliver()
	return nil
}

func (c *client) deliver() { // want deliver:`callsstored=mqttlike.MessageHandler`
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		default:
			if c.options.Default != nil {
				c.options.Default(c, "message")
			}
		}
	}
}

// Disconnect stops the delivery and waits for it.
func (c *client) Disconnect() { // want Disconnect:`waits`
	close(c.stop)
	<-c.done
}
