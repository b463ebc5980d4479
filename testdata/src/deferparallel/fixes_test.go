package deferparallel

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

func TestFixConvertsEarlierDefers(t *testing.T) {
	f, _ := os.CreateTemp("", "x")
	defer os.Remove(f.Name())
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	defer fmt.Println("later defers stay")
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestFixBindsArgumentsEvaluatedAtDefer(t *testing.T) {
	name := "a"
	dir := os.TempDir() + "/" + name
	defer os.RemoveAll(dir)       // want `os.RemoveAll is deferred`
	defer os.Setenv("NAME", name) // want `os.Setenv is deferred`
	name = "b"
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = dir
	})
}

func TestFixBindsCallArguments(t *testing.T) {
	f, _ := os.CreateTemp("", "x")
	defer os.Remove(f.Name()) // want `os.Remove is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = f
	})
}

type closer struct{ ts *httptest.Server }

func (c closer) close() error { c.ts.Close(); return nil }

func TestFixBindsMethodValueOfChangingReceiver(t *testing.T) {
	c := closer{ts: httptest.NewServer(http.NotFoundHandler())}
	defer c.close() // want `c.close is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(c.ts.URL)
	})
	c = closer{}
}

func TestNoFixWhenLaterCleanup(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Cleanup(func() {})
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestNoFixWhenEarlierUnlock(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestNoFixWhenEarlierRecover(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Error(r)
		}
	}()
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestNoFixWhenTestingValueShadowed(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	{
		t := "shadow"
		_ = t
		defer ts.Close() // want `ts.Close is deferred`
	}
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func runWithNamedResult(t *testing.T) (err error) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer func() { // want `a function literal is deferred`
		ts.Close()
		err = nil
	}()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
	return nil
}

func TestFixNameTaken(t *testing.T) {
	f, _ := os.CreateTemp("", "x")
	name := "taken"
	_ = name
	defer os.Remove(f.Name()) // want `os.Remove is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = f
	})
}
