// Package fiberlike is a stub of gofiber/fiber v3's shapes: an App keeps
// its handlers in routes; its fasthttp server's Handler is the app's
// router; Test serves a request from a goroutine of its own, while
// Handler() hands the router to a caller who runs it on its own goroutine.
package fiberlike

import (
	"net"

	"fasthttplike"
)

// Ctx is the context of a request.
type Ctx interface {
	SendString(s string) error
}

// Handler handles a request.
type Handler func(c Ctx) error

// Route is a path and its handlers.
type Route struct {
	Path     string
	Handlers []Handler
}

// App is an application.
type App struct {
	stack  []*Route
	server *fasthttplike.Server
}

// New returns an app whose server runs the app's router.
func New() *App {
	app := &App{}
	app.server = &fasthttplike.Server{Handler: app.handler}
	return app
}

// Get registers handlers for GET path.
func (app *App) Get(path string, handler Handler, middleware ...Handler) *App { // want Get:"stores=2:fiberlike.Handler@0,3:fiberlike.Handler@0"
	app.register(path, append([]Handler{handler}, middleware...)...)
	return app
}

func (app *App) register(path string, handlers ...Handler) { // want register:"stores=2:fiberlike.Handler"
	route := Route{Path: path, Handlers: handlers}
	app.addRoute(&route)
}

func (app *App) addRoute(route *Route) { // want addRoute:"stores=1:fiberlike.Handler"
	app.stack = append(app.stack, route)
}

type ctx struct{}

func (ctx) SendString(string) error { return nil }

// handler is the router: it runs the handlers of the routes.
func (app *App) handler(fctx *fasthttplike.RequestCtx) { // want handler:"callsstored=fiberlike.Handler"
	for _, route := range app.stack {
		for _, h := range route.Handlers {
			if err := h(ctx{}); err != nil {
				return
			}
		}
	}
}

// Handler returns the router, for callers that serve requests themselves.
func (app *App) Handler() fasthttplike.RequestHandler {
	return app.handler
}

// Test serves one request from a goroutine of its own and waits for it.
func (app *App) Test(path string) error { // want Test:"runsstored=fasthttplike.RequestHandler,fiberlike.Handler"
	client, server := net.Pipe()
	defer client.Close()
	errs := make(chan error, 1)
	go func() {
		errs <- app.server.ServeConn(server)
	}()
	return <-errs
}

// Timeout wraps h: middleware that runs it when the route is served.
func Timeout(h Handler) Handler { // want Timeout:`stores=0:fiberlike:func\(fiberlike.Ctx\) error@result`
	return func(c Ctx) error { return h(c) }
}
