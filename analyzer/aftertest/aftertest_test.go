package aftertest_test

import (
	"testing"

	"github.com/testraces/testraces/analyzer/aftertest"
	"github.com/testraces/testraces/internal/badcode"
)

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"testing"
	"time"
)

func TestBad(t *testing.T) {
	go func() { t.Log(undefined) }()
	go undefinedFunc(t)
	go func(x int) { t.Errorf("%d", x) }()
	logger := missing.NewLogger(t)
	go func() { logger.Info("x") }()
	time.AfterFunc(time.Second, nil)
	time.AfterFunc(time.Second, func() { t.Error() })
	go t.Log()
	go func() {
		select {
		case <-t.Context().Done():
		}
	}()
	var f func()
	go f()
	go func() { t.Log(); close(done) }()
	select {
	case <-done:
	case <-time.After(undefinedDur):
		t.Log(missing)
	case v := <-nowhere.C:
	case <-undefinedCtx.Done():
	default:
	}
}

func helper(t testing.TB) undefinedType {
	go func() { t.Log() }()
	return
}
`
	diags := badcode.Run(t, aftertest.Analyzer, src)
	if diags == 0 {
		t.Error("no finding for go func() { t.Log(undefined) }(): was the code checked at all?")
	}
}

// TestStandardLibraryTestHelperThatWaits checks a helper of a standard
// library package's own tests, whose code is read rather than tabled: its
// waits count (net's localServer.teardown waits for what buildup runs).
func TestStandardLibraryTestHelperThatWaits(t *testing.T) {
	const src = `package net

import (
	"testing"
	"time"
)

type localServer struct{ done chan bool }

func (ls *localServer) buildup(handler func(*localServer)) {
	go func() {
		handler(ls)
		close(ls.done)
	}()
}

func (ls *localServer) teardown() { <-ls.done }

func TestAcceptError(t *testing.T) {
	handler := func(ls *localServer) { t.Log("serving") }
	ls := &localServer{done: make(chan bool)}
	ls.buildup(handler)
	time.Sleep(time.Millisecond)
	ls.teardown()
}
`
	if n := badcode.RunAs(t, aftertest.Analyzer, "net", src, badcode.Importer()); n != 0 {
		t.Errorf("%d findings for a handler that teardown waits for, want none", n)
	}
}
