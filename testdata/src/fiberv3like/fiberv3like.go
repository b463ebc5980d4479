// Package fiberv3like is a stub of gofiber/fiber v3's exact shapes:
// Handler is an alias of a function type, and Get and Use take their
// handlers as any, converting them with a type switch before keeping
// them in the routes that the server's Handler, the app's router, runs.
package fiberv3like

import (
	"net"

	"fasthttplike"
)

// Ctx is the context of a request.
type Ctx interface {
	SendString(s string) error
}

// Handler handles a request.
type Handler = func(c Ctx) error

// App is an application.
type App struct {
	handlers []Handler
	server   *fasthttplike.Server
}

// New returns an app whose server runs the app's router.
func New() *App {
	app := &App{}
	app.server = &fasthttplike.Server{Handler: app.requestHandler}
	return app
}

// Get registers handlers for GET path.
func (app *App) Get(path string, handler any, handlers ...any) *App { // want Get:`stores=2:fiberv3like:func\(fiberv3like.Ctx\) error@0,3:fiberv3like:func\(fiberv3like.Ctx\) error@0`
	app.handlers = append(app.handlers, collectHandlers(append([]any{handler}, handlers...))...)
	return app
}

// Use registers middleware.
func (app *App) Use(args ...any) *App { // want Use:`stores=1:fiberv3like:func\(fiberv3like.Ctx\) error`
	for _, arg := range args {
		switch h := arg.(type) {
		case Handler:
			app.handlers = append(app.handlers, h)
		case string:
		}
	}
	return app
}

func collectHandlers(args []any) []Handler { // want collectHandlers:`stores=0:fiberv3like:func\(fiberv3like.Ctx\) error@result`
	var out []Handler
	for _, arg := range args {
		if h, ok := arg.(Handler); ok {
			out = append(out, h)
		}
	}
	return out
}

type ctx struct{}

func (ctx) SendString(string) error { return nil }

func (app *App) requestHandler(fctx *fasthttplike.RequestCtx) { // want requestHandler:`callsstored=fiberv3like:func\(fiberv3like.Ctx\) error`
	for _, h := range app.handlers {
		if h(ctx{}) != nil {
			return
		}
	}
}

// Test serves one request from a goroutine of its own and waits for it.
func (app *App) Test(path string) error { // want Test:`runsstored=fasthttplike.RequestHandler,fiberv3like:func\(fiberv3like.Ctx\) error`
	client, server := net.Pipe()
	defer client.Close()
	errs := make(chan error, 1)
	go func() {
		errs <- app.server.ServeConn(server)
	}()
	return <-errs
}

// Listener serves the connections of ln, each on a goroutine of its own,
// until ln is closed.
func (app *App) Listener(ln net.Listener) error { // want Listener:`runsstored=fasthttplike.RequestHandler,fiberv3like:func\(fiberv3like.Ctx\) error`
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go app.server.ServeConn(c)
	}
}
