// Package queuelike keeps message handlers and runs each on a goroutine
// of its own, handing the kept function to the method that calls it, as
// watermill's message.Router does (h.handleMessage(msg, h.handlerFunc)).
package queuelike

// HandlerFunc handles one message.
type HandlerFunc func(msg string)

type handler struct {
	fn HandlerFunc
	in chan string
}

// Router keeps handlers and runs them.
type Router struct{ handlers []*handler }

// AddHandler keeps fn, to handle the messages sent on in.
func (r *Router) AddHandler(in chan string, fn HandlerFunc) { // want AddHandler:"stores=2:queuelike.HandlerFunc@0"
	r.handlers = append(r.handlers, &handler{fn: fn, in: in})
}

// Run starts a goroutine for each handler.
func (r *Router) Run() { // want Run:"runsstored=queuelike.HandlerFunc"
	for _, h := range r.handlers {
		go h.run()
	}
}

// Handle hands msg to each handler on the calling goroutine.
func (r *Router) Handle(msg string) { // want Handle:"callsstored=queuelike.HandlerFunc"
	for _, h := range r.handlers {
		h.handleMessage(msg, h.fn)
	}
}

func (h *handler) run() { // want run:"callsstored=queuelike.HandlerFunc"
	for msg := range h.in {
		h.handleMessage(msg, h.fn)
	}
}

func (h *handler) handleMessage(msg string, fn HandlerFunc) { fn(msg) } // want handleMessage:"calls=2"
