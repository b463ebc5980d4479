package failnow

// A callback the test puts in a field of one of the package's types, run
// by a method of that type on a goroutine it starts.

import (
	"testing"
	"time"
)

type notifier struct {
	onDone func()
}

func (n *notifier) start() {
	go func() {
		n.onDone() // want `n.onDone is called on a goroutine started at line 16, not on the test's goroutine`
	}()
}

func (n *notifier) finish() {
	n.onDone()
}

func TestCallbackInAFieldRunOnAGoroutine(t *testing.T) {
	n := &notifier{onDone: func() { t.Fatal("done") }}
	n.start()
	time.Sleep(time.Millisecond)
}

type finisher struct {
	onDone func()
}

func (f *finisher) finish() {
	f.onDone()
}

func TestCallbackInAFieldRunOnTheTestGoroutine(t *testing.T) {
	f := &finisher{onDone: func() { t.Fatal("done") }}
	f.finish()
}
