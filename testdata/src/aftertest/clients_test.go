package aftertest

import (
	"testing"

	"mqttlike"
)

// A client built from options that keep its handler: the client runs
// the handler on its goroutines, and stopping the client stops them.

func TestClientFromOptionsNeverStopped(t *testing.T) {
	opts := mqttlike.NewOptions()
	opts.SetDefaultHandler(func(c mqttlike.Client, msg string) { t.Log(msg) })
	c := mqttlike.NewClient(opts)
	c.Connect() // want `t.Log may run after TestClientFromOptionsNeverStopped has completed: opts.SetDefaultHandler keeps the function and c.Connect \(line 16\) runs it on goroutines of c that the test never stops`
}

func TestClientFromOptionsDisconnected(t *testing.T) {
	opts := mqttlike.NewOptions()
	opts.SetDefaultHandler(func(c mqttlike.Client, msg string) { t.Log(msg) })
	c := mqttlike.NewClient(opts)
	c.Connect()
	defer c.Disconnect()
}
