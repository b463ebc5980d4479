// Package routerlike keeps routes in a map of handler slices and runs them
// through a method value that the serving goroutine calls through a field.
package routerlike

// Handler handles a request.
type Handler func(path string)

type server struct{ handle func(string) }

// App is an app.
type App struct {
	routes map[string][]Handler
	srv    *server
}

// New returns an app whose server dispatches to its routes.
func New() *App {
	a := &App{routes: make(map[string][]Handler)}
	a.srv = &server{handle: a.dispatch}
	return a
}

// Get keeps hs for path.
func (a *App) Get(path string, hs ...Handler) { // want Get:"stores=2:routerlike.Handler"
	a.routes[path] = append(a.routes[path], hs...)
}

func (a *App) dispatch(path string) { // want dispatch:"callsstored=routerlike.Handler"
	for _, h := range a.routes[path] {
		h(path)
	}
}

// Listen serves requests, each on a goroutine.
func (a *App) Listen() { // want Listen:"runsstored=routerlike.Handler,routerlike:func\\(string\\)"
	go a.srv.serve()
}

func (s *server) serve() { // want serve:"callsstored=routerlike.Handler,routerlike:func\\(string\\)"
	s.handle("/")
}
