package serverready

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
	"server"
)

func TestGoListenAndServe(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	http.Get("http://127.0.0.1:8080/") // want `request may run before the server started at line 16 listens: create the listener with net.Listen before starting the server's goroutine, or wait for a readiness signal`
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
	client.Do(req) // want `request may run before the server started at line 22 listens`
}

func TestPackageListenAndServe(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8082", nil)
	net.Dial("tcp", "127.0.0.1:8082") // want `request may run before the server started at line 33 listens`
}

func TestSleepIsNotWaiting(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8083", nil)
	time.Sleep(100 * time.Millisecond)
	http.Get("http://127.0.0.1:8083/") // want `request may run before the server started at line 38 listens: .* \(the sleep at line 39 only makes the race rarer: sleeping is not waiting\)`
}

func TestOtherPackageRun(t *testing.T) {
	s := server.New("127.0.0.1:8443")
	go s.Run(context.Background())
	http.Get("https://127.0.0.1:8443/") // want `request may run before the server started at line 45 listens`
}

func TestListenInsideGoroutine(t *testing.T) {
	srv := &http.Server{}
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:8084")
		srv.Serve(ln)
	}()
	http.Get("http://127.0.0.1:8084/") // want `request may run before the server started at line 51 listens`
}

func TestErrgroupStart(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error { return http.ListenAndServe("127.0.0.1:8085", nil) })
	http.Get("http://127.0.0.1:8085/") // want `request may run before the server started at line 60 listens`
}

func TestRequestInSubtest(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8086", nil)
	t.Run("get", func(t *testing.T) {
		http.Get("http://127.0.0.1:8086/") // want `request may run before the server started at line 65 listens`
	})
}

func TestRequestThroughHelper(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8087", nil)
	get(t, "http://127.0.0.1:8087/") // want `request may run before the server started at line 72 listens`
}

func get(t *testing.T, url string) {
	if _, err := http.Get(url); err != nil {
		t.Fatal(err)
	}
}

func TestReadySignalledBeforeListening(t *testing.T) {
	ready := make(chan struct{})
	go func() {
		close(ready)
		http.ListenAndServe("127.0.0.1:8088", nil)
	}()
	<-ready
	http.Get("http://127.0.0.1:8088/") // want `request may run before the server started at line 84 listens`
}

func TestListenAndServeTLS(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:8089"}
	go srv.ListenAndServeTLS("cert.pem", "key.pem")
	http.Get("https://127.0.0.1:8089/") // want `request may run before the server started at line 94 listens`
}

func TestTimeAfterIsNotWaiting(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8090", nil)
	<-time.After(50 * time.Millisecond)
	http.Get("http://127.0.0.1:8090/") // want `request may run before the server started at line 99 listens: .*\(the sleep at line 100 only makes the race rarer`
}

func TestNonBlockingReceiveIsNotWaiting(t *testing.T) {
	ready := make(chan bool)
	go func() {
		http.ListenAndServe("127.0.0.1:8091", nil)
		close(ready)
	}()
	select {
	case <-ready:
	default:
	}
	http.Get("http://127.0.0.1:8091/") // want `request may run before the server started at line 106 listens`
}
