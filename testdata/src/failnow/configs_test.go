package failnow

// Handlers a library takes in a list of its options, whatever their
// parameters are named, and runs from its connection goroutine.

import (
	"testing"

	"dialerlike"
)

func TestHandlerInAListOfOptions(t *testing.T) {
	dialerlike.NewClient(dialerlike.Options{
		OnMessage: []func(msg string) error{
			func(m string) error {
				if m != "connected" {
					t.Fatalf("got %q", m) // want `t.Fatalf is called on a goroutine that dialerlike.NewClient starts`
				}
				return nil
			},
		},
	})
}
