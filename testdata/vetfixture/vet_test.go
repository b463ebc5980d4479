// Package vetfixture is the module the superset test runs go vet
// -vettool=testraces on: one mistake go vet's own suite finds (printf,
// copylocks) and one race of each testraces analyzer, each to be reported
// once.
package vetfixture

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func count(c counter) int { return c.n }

func TestPrintf(t *testing.T) {
	fmt.Printf("%d\n", "one")
	_ = count(counter{})
}

func TestDeferParallel(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

// A go statement: testinggoroutine would report it too, and is left out.
func TestFailNow(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		t.Fatal("boom")
	}()
	<-done
}

func TestServerReady(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:18082", Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	http.Get("http://127.0.0.1:18082/")
}

func TestCleanupContext(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		drop(ctx)
	})
}

func drop(ctx context.Context) error { return ctx.Err() }
