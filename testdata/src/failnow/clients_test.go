package failnow

import (
	"testing"

	"mqttlike"
)

// A client built from options: the options keep the handler, the client
// that NewClient builds copies it, and the client's Connect, called
// through the interface NewClient returns, runs it on a goroutine of its
// own (paho's SetDefaultPublishHandler and SetConnectionLostHandler).

func TestHandlerOfOptionsCopiedIntoAClient(t *testing.T) {
	opts := mqttlike.NewOptions()
	opts.SetDefaultHandler(func(c mqttlike.Client, msg string) {
		if msg == "" {
			t.Fatal("empty message") // want `t.Fatal is called on a goroutine that c.Connect starts at line 22 \(opts.SetDefaultHandler keeps the callback at line 16 and c.Connect runs it from there\)`
		}
	})
	c := mqttlike.NewClient(opts)
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect()
}

func TestHandlerOfOptionsCopiedIntoAClientReportsWithError(t *testing.T) {
	opts := mqttlike.NewOptions()
	opts.SetDefaultHandler(func(c mqttlike.Client, msg string) {
		if msg == "" {
			t.Error("empty message")
		}
	})
	c := mqttlike.NewClient(opts)
	if err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect()
}
