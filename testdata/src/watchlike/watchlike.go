// Package watchlike keeps registered callbacks and, from a poll loop that
// New starts, calls each on a goroutine of its own.
package watchlike

// Watcher polls for changes.
type Watcher struct {
	cbs  []func(string)
	stop chan struct{}
	done chan struct{}
}

// New starts the poll loop.
func New() *Watcher { // want New:`runsstored=watchlike:func\(string\)`
	w := &Watcher{stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// OnChange keeps cb.
func (w *Watcher) OnChange(cb func(string)) { // want OnChange:`stores=1:watchlike:func\(string\)`
	w.cbs = append(w.cbs, cb)
}

func (w *Watcher) loop() { // want loop:`runsstored=watchlike:func\(string\)`
	defer close(w.done)
	for {
		select {
		case <-w.stop:
			return
		default:
		}
		for _, cb := range w.cbs {
			go func() { cb("file") }()
		}
	}
}

// Close stops the poll loop, without waiting for it.
func (w *Watcher) Close() { close(w.stop) }

// Shutdown stops the poll loop and waits for it to end.
func (w *Watcher) Shutdown() { // want Shutdown:`waits`
	close(w.stop)
	<-w.done
}

// Watch starts a watcher that calls cb on each change.
func Watch(cb func(string)) *Watcher { // want Watch:`stores=0:watchlike:func\(string\) runsstored=watchlike:func\(string\)`
	w := New()
	w.OnChange(cb)
	return w
}
