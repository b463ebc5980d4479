package failnow

import (
	"testing"

	"routerlike"
)

// Callbacks that libraries keep in maps and slices of handlers, and call
// from goroutines of their own through method values held in fields.

func TestRoutesRunByMethodValue(t *testing.T) {
	app := routerlike.New()
	app.Get("/", func(path string) {
		t.Fatal(path) // want `t.Fatal is called on a goroutine`
	})
	app.Listen()
}
