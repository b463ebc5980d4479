package deferparallel

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

// What the deferred call tears down while parallel subtests still use it:
// a test server, a context, a temporary directory, a file, the listener a
// stopped server served, a WaitGroup the subtests call Done on.

func TestServerClosedBeforeParallelSubtest(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts and runs after TestServerClosedBeforeParallelSubtest returns; use t.Cleanup`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestCancelGroupedWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // want `cancel is deferred, but parallel subtest "a" uses ctx and runs after`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		<-ctx.Done()
	})
}

func TestTempDirRemoved(t *testing.T) {
	dir, err := os.MkdirTemp("", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir) // want `os.RemoveAll is deferred, but parallel subtest "write" uses dir`
	t.Run("write", func(t *testing.T) {
		t.Parallel()
		os.WriteFile(dir+"/f", nil, 0o600)
	})
}

// Closing a file the subtest reads from.
func TestFileHandleUsedBySubtest(t *testing.T) {
	f, _ := os.Open(os.DevNull)
	defer f.Close() // want `f.Close is deferred, but parallel subtest "read" uses f`
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		f.Read(make([]byte, 1))
	})
}

type rpcServer struct{}

func (*rpcServer) Serve(ln net.Listener) error { return nil }
func (*rpcServer) Stop()                       {}

// Stopping the server closes the listener the subtests dial.
func TestServerStoppedListenerDialed(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &rpcServer{}
	go srv.Serve(ln)
	defer srv.Stop() // want `srv.Stop is deferred, but parallel subtest "dial" uses addr`
	addr := ln.Addr().String()
	t.Run("dial", func(t *testing.T) {
		t.Parallel()
		net.Dial("tcp", addr)
	})
}

// The deferred Wait blocks TestWaitDeadlocks before the subtests, which
// only run once it returns, can call Done: it never returns.
func TestWaitDeadlocks(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait() // want `wg.Wait is deferred, but parallel subtest "a" uses wg`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		wg.Done()
	})
}
