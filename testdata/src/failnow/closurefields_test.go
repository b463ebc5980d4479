package failnow

import (
	"errors"
	"sync"
	"testing"
)

// Closures that a value holds in a field, set by a test to stop it, and
// that the value's methods call: a goroutine running such a method stops
// the test from off its goroutine, whichever test built the value.

type worker struct{ onErr func(error) }

func (w *worker) run() { w.onErr(errors.New("failed")) }

func newWorker(t *testing.T) *worker {
	return &worker{onErr: func(err error) { t.Fatal(err) }}
}

func TestWorkerMethodOnGoroutine(t *testing.T) {
	w := &worker{onErr: func(err error) { t.Fatal(err) }}
	go w.run() // want `w.run is called on a goroutine started at line 23`
}

func TestWorkerMethodByWaitGroup(t *testing.T) {
	w := &worker{onErr: func(err error) { t.Fatal(err) }}
	var wg sync.WaitGroup
	wg.Go(w.run) // want `w.run is called on a goroutine started by wg.Go`
	wg.Wait()
}

func TestWorkerFromFactoryOnGoroutine(t *testing.T) {
	w := newWorker(t)
	go w.run() // want `w.run is called on a goroutine started at line 35`
}

func TestWorkerMethodInGoroutineLiteral(t *testing.T) {
	w := newWorker(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.run() // want `w.run is called on a goroutine started at line 41`
	}()
	<-done
}

func TestWorkerFieldCalledInGoroutine(t *testing.T) {
	w := newWorker(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.onErr(nil) // want `w.onErr is called on a goroutine started at line 51`
	}()
	<-done
}

// Negatives: the method runs on the test's goroutine, or on a subtest's
// with the worker its own test built, or the worker on the goroutine was
// built without such a closure (see also negatives_test.go's mockNode).

func TestWorkerMethodOnTestGoroutine(t *testing.T) {
	w := &worker{onErr: func(err error) { t.Fatal(err) }}
	w.run()
}

func TestWorkerBuiltWithoutAClosureOnGoroutine(t *testing.T) {
	w := &worker{onErr: func(err error) { t.Log(err) }}
	go w.run()
}

func TestWorkerFieldCalledInGoroutineBuiltWithout(t *testing.T) {
	w := &worker{onErr: func(err error) { t.Log(err) }}
	go func() { w.onErr(nil) }()
}

func TestWorkerFromFactoryInSubtest(t *testing.T) {
	t.Run("a", func(t *testing.T) {
		w := newWorker(t)
		w.run()
	})
}

// A field of a generic type: box[int]{f: ...} gives the field that the
// methods of box[T] run.
type box[T any] struct{ f func(T) }

func (b box[T]) start(v T) { go b.f(v) }

func TestGenericFieldRunOnAGoroutine(t *testing.T) {
	b := box[int]{f: func(int) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started at line`
	}}
	b.start(1)
}

// A helper that runs a method of the server it is given on a goroutine,
// and the method calls the handler the server holds: gliderlabs/ssh's
// newTestSession(t, &Server{Handler: ...}) with go srv.serveOnce(l).
type connServerOnce struct{ Handler func(conn int) }

func (srv *connServerOnce) serveOnce(conns chan int) {
	srv.Handler(<-conns)
}

func serveOnceOn(srv *connServerOnce) chan int {
	conns := make(chan int)
	go srv.serveOnce(conns)
	return conns
}

func TestHandlerOfAServerAHelperServesOnAGoroutine(t *testing.T) {
	conns := serveOnceOn(&connServerOnce{Handler: func(conn int) {
		t.Fatal("x") // want `t.Fatal is called on a goroutine started by serveOnceOn at line`
	}})
	conns <- 1
}
