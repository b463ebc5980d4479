package failnow

import (
	"testing"

	"nodelike"
)

// What runs a kept callback is named in the message: the call that runs
// it, and the function that call is in when that is a literal.

func TestHookRunByShutdownInDeferredFunc(t *testing.T) {
	node := &nodelike.Node{}
	node.OnShutdown(func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that node.Shutdown \(called in the function deferred at line 17\) starts at line 18 \(node.OnShutdown keeps the callback at line 14 and node.Shutdown runs it from there\)`
	})
	defer func() {
		node.Shutdown()
	}()
}

func TestHookRunByShutdownInLiteral(t *testing.T) {
	node := &nodelike.Node{}
	node.OnShutdown(func() {
		t.Fatal("x") // want `t.Fatal is called on a goroutine that node.Shutdown starts at line 28`
	})
	stop := func() {
		node.Shutdown()
	}
	stop()
}
