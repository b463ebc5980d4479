package failnow

import (
	"sync"
	"testing"
)

// A function field that a setter or a functional option may also set:
// what the package's code gives it may run where the field is called,
// whatever else other packages give it.

type connHandler struct {
	Handle func(msg string)
	wg     sync.WaitGroup
}

// SetHandle is the library's setter: its parameter may be anything.
func (h *connHandler) SetHandle(f func(msg string)) { h.Handle = f }

func (h *connHandler) deliver(msg string) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		h.Handle(msg)
	}()
	h.wg.Wait()
}

func (h *connHandler) deliverAsync(msg string) {
	go h.Handle(msg)
}

func TestFieldWithASetterCalledOnAGoroutine(t *testing.T) {
	h := &connHandler{}
	h.Handle = func(msg string) {
		t.Fatal(msg) // want `t.Fatal is called on a goroutine started at line 30`
	}
	h.deliverAsync("x")
}

type optServer struct{ onMsg func(string) }

type serverOption func(*optServer)

func withOnMsg(f func(string)) serverOption {
	return func(s *optServer) { s.onMsg = f }
}

func newOptServer(opts ...serverOption) *optServer {
	s := &optServer{}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *optServer) run(msg string) { go s.onMsg(msg) }

func TestFunctionalOptionCalledOnAGoroutine(t *testing.T) {
	s := newOptServer(withOnMsg(func(msg string) {
		t.Fatal(msg) // want `t.Fatal is called on a goroutine started at line 57`
	}))
	s.run("x")
}

// Must not report: the field is called on the test's goroutine only.

type syncHandler struct{ Handle func(msg string) }

func (h *syncHandler) SetHandle(f func(msg string)) { h.Handle = f }

func (h *syncHandler) deliver(msg string) { h.Handle(msg) }

func TestFieldWithASetterCalledHere(t *testing.T) {
	h := &syncHandler{}
	h.SetHandle(func(msg string) {
		t.Fatal(msg)
	})
	h.deliver("x")
}
