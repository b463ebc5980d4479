// Package fiber is a stub of gofiber/fiber v2's shapes that listen.
package fiber

import "net"

// App is an application.
type App struct{}

// New returns an application.
func New() *App { return &App{} }

// Listen listens on addr.
func (app *App) Listen(addr string) error {
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		return err
	}
	return app.Listener(ln)
}

// Listener serves ln.
func (app *App) Listener(ln net.Listener) error { return ln.Close() }
