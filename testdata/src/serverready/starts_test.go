package serverready

import (
	"context"
	"net"
	"net/http"
	"testing"

	"golang.org/x/sync/errgroup"
	"server"
)

// What starts a server on another goroutine, and where the request that
// races it is made: each start is reported at the first request after it,
// and the fix, where it applies, listens with net.Listen first.

func TestGoListenAndServe(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	http.Get("http://127.0.0.1:8080/") // want `request may run before the server started at line 19 listens: create the listener with net.Listen before starting the server's goroutine, or wait for a readiness signal`
}

func TestGoFuncListenAndServe(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8081"}
	go func() {
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			t.Error(err)
		}
	}()
	client := &http.Client{}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:8081/", nil)
	client.Do(req) // want `request may run before the server started at line 25 listens`
}

func TestPackageListenAndServe(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8082", nil)
	net.Dial("tcp", "127.0.0.1:8082") // want `request may run before the server started at line 36 listens`
}

func TestOtherPackageRun(t *testing.T) {
	s := server.New("127.0.0.1:8443")
	go s.Run(context.Background())
	http.Get("https://127.0.0.1:8443/") // want `request may run before the server started at line 42 listens`
}

func TestListenInsideGoroutine(t *testing.T) {
	srv := &http.Server{}
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:8084")
		srv.Serve(ln)
	}()
	http.Get("http://127.0.0.1:8084/") // want `request may run before the server started at line 48 listens`
}

func TestErrgroupStart(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error { return http.ListenAndServe("127.0.0.1:8085", nil) })
	http.Get("http://127.0.0.1:8085/") // want `request may run before the server started at line 57 listens`
}

func TestRequestInSubtest(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8086", nil)
	t.Run("get", func(t *testing.T) {
		http.Get("http://127.0.0.1:8086/") // want `request may run before the server started at line 62 listens`
	})
}

func TestRequestThroughHelper(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8087", nil)
	get(t, "http://127.0.0.1:8087/") // want `request may run before the server started at line 69 listens`
}

func get(t *testing.T, url string) {
	if _, err := http.Get(url); err != nil {
		t.Fatal(err)
	}
}

func TestListenAndServeTLS(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8089"}
	go srv.ListenAndServeTLS("cert.pem", "key.pem")
	http.Get("https://127.0.0.1:8089/") // want `request may run before the server started at line 81 listens`
}

// A request before the start has nothing to race.
func TestRequestBeforeStart(t *testing.T) {
	http.Get("http://example.invalid/")
	go http.ListenAndServe("127.0.0.1:9105", nil)
}
