package example

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

// skipUnlessAsked skips the racy examples in ordinary test runs.
func skipUnlessAsked(t *testing.T) {
	if os.Getenv("TESTRACES_EXAMPLE") != "1" {
		t.Skip("racy on purpose; set TESTRACES_EXAMPLE=1 to run it")
	}
}

// deferparallel: the server is closed when the test function returns,
// which is before the parallel subtests run.
func TestServerClosedTooEarly(t *testing.T) {
	skipUnlessAsked(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	defer ts.Close()
	for _, path := range []string{"/a", "/b"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}

// failnow: wg.Go runs the function on a goroutine of its own, where Fatal
// ends only that goroutine, not the test. (go vet's testinggoroutine does
// not look into wg.Go; testraces does.)
func TestFatalOffTheTestGoroutine(t *testing.T) {
	skipUnlessAsked(t)
	var wg sync.WaitGroup
	for _, path := range []string{"/does/not/exist", "/"} {
		wg.Go(func() {
			if _, err := os.Stat(path); err != nil {
				t.Fatal(err)
			}
		})
	}
	wg.Wait()
	t.Log("still running after Fatal")
}

// serverready: the request may reach the address before ListenAndServe,
// on its goroutine, has created the listener: connection refused.
func TestRequestBeforeListen(t *testing.T) {
	skipUnlessAsked(t)
	srv := &http.Server{Addr: "127.0.0.1:18080", Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	defer srv.Close()
	resp, err := http.Get("http://127.0.0.1:18080/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// fixedport: go test ./... runs the test binaries of every package at the
// same time; another one that listens on 18081 makes this one fail with
// "bind: address already in use". (The serverready example above listens
// on a fixed port too.)
func TestListenOnAFixedPort(t *testing.T) {
	skipUnlessAsked(t)
	ln, err := net.Listen("tcp", "127.0.0.1:18081")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go http.Serve(ln, http.NotFoundHandler())
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// cleanupctx: t.Context() is cancelled just before the cleanups run, so
// the cleanup's call fails with context canceled and the schema stays.
func TestCleanupWithCancelledContext(t *testing.T) {
	skipUnlessAsked(t)
	ctx := t.Context()
	t.Cleanup(func() {
		if err := dropSchema(ctx, "example"); err != nil {
			t.Error(err)
		}
	})
}

// dropSchema stands for a teardown call that honours its context.
func dropSchema(ctx context.Context, name string) error {
	return ctx.Err()
}

// aftertest: nothing waits for the goroutine, which may call t.Errorf
// after the test has completed; the testing package then panics the whole
// test binary, usually in a later test.
func TestErrorAfterTheTest(t *testing.T) {
	skipUnlessAsked(t)
	go func() {
		if err := dropSchema(context.Background(), "late"); err != nil {
			t.Errorf("drop: %v", err)
		}
	}()
}
