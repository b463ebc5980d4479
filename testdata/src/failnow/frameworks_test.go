package failnow

import (
	"net"
	"testing"

	"fiberv3like"

	"github.com/stretchr/testify/require"
)

// Web frameworks as tests use them: handlers registered inside subtests
// and after middleware, run by the app's Test or served by its Listener.

func TestFrameworkHandlerInSubtest(t *testing.T) {
	t.Run("get", func(t *testing.T) {
		app := fiberv3like.New()
		app.Get("/", func(c fiberv3like.Ctx) error {
			require.Equal(t, 1, 2) // want `require.Equal is called on a goroutine that app.Test starts`
			return nil
		})
		app.Test("/")
	})
}

func TestFrameworkHandlerAfterMiddleware(t *testing.T) {
	app := fiberv3like.New()
	app.Use(func(c fiberv3like.Ctx) error { return nil })
	app.Get("/", func(c fiberv3like.Ctx) error {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that app.Test starts`
		return nil
	})
	app.Test("/")
}

func TestFrameworkServedByListener(t *testing.T) {
	app := fiberv3like.New()
	app.Get("/", func(c fiberv3like.Ctx) error {
		require.NoError(t, c.SendString("ok")) // want `require.NoError is called on a goroutine`
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go app.Listener(ln)
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	conn.Close()
}
