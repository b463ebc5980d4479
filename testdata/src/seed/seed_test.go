package seed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func newTestServer(ctx context.Context, t *testing.T) *httptest.Server {
	testHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "OK")
	})
	testSrv := httptest.NewUnstartedServer(testHandler)
	admissionServer, err := NewServer(nil, &noopLogger{})
	if err != nil {
		t.Fatalf("admission server creation failed: %s", err)
		return nil
	}
	// We start the test server, copy its config out, and close it down so we can
	// start our own server. This is because httptest.Server only generates a
	// self-signed TLS config after starting it.
	testSrv.StartTLS()
	admissionServer.srv = &http.Server{
		Addr:      testSrv.Listener.Addr().String(),
		Handler:   testHandler,
		TLSConfig: testSrv.TLS.Clone(),
	}
	testSrv.Close()
	// We need a better synchronization primitive here that doesn't block
	// but allows the underlying listener to be ready before
	// serving client requests.
	go func() { // want `the server started here listens on the address of a listener closed at line 30`
		if err := admissionServer.Run(ctx); err != nil {
			t.Fatalf("server returned unexpectedly: %s", err) // want `t.Fatalf is called on a goroutine started at line 34, not on the test's goroutine`
		}
	}()
	return testSrv
}

// Test that we can start a minimal AdmissionServer and handle a request.
func TestRun(t *testing.T) {
	testSrv := newTestServer(context.TODO(), t)
	t.Run("Server accepts HTTP requests", func(t *testing.T) {
		client := testSrv.Client()
		req, err := http.NewRequest(http.MethodGet, testSrv.URL, nil)
		if err != nil {
			t.Fatalf("request creation failed: %s", err)
		}
		resp, err := client.Do(req) // want `request may run before the server that newTestServer started at line 44 listens: newTestServer returns before`
		if err != nil {
			t.Fatalf("failed to make a request: %s", err)
		}
		resp.Body.Close()
	})
}
