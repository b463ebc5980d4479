package serverready

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"server"
)

func TestListenFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{}
	go srv.Serve(ln)
	http.Get("http://" + ln.Addr().String())
}

func TestHTTPTestServers(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	http.Get(ts.URL)
	us := httptest.NewUnstartedServer(http.NotFoundHandler())
	us.Start()
	defer us.Close()
	http.Get(us.URL)
}

func TestReadySignalledAfterListening(t *testing.T) {
	ready := make(chan string)
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		ready <- ln.Addr().String()
		http.Serve(ln, nil)
	}()
	addr := <-ready
	http.Get("http://" + addr)
}

func TestPollingLoop(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9100", nil)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:9100"); err == nil {
			c.Close()
			break
		}
	}
	http.Get("http://127.0.0.1:9100/")
}

func TestPollingHelper(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9101", nil)
	server.WaitReady("http://127.0.0.1:9101/")
	http.Get("http://127.0.0.1:9101/")
}

func TestEventually(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9102", nil)
	assert.Eventually(t, func() bool {
		_, err := http.Get("http://127.0.0.1:9102/")
		return err == nil
	}, 0, 0)
	http.Get("http://127.0.0.1:9102/")
}

func TestWaitGroup(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:9103")
		wg.Done()
		http.Serve(ln, nil)
	}()
	wg.Wait()
	http.Get("http://127.0.0.1:9103/")
}

func TestStartReadyHelper(t *testing.T) {
	s := server.New("127.0.0.1:9104")
	s.StartReady()
	http.Get("http://127.0.0.1:9104/")
}

func TestRequestBeforeStart(t *testing.T) {
	http.Get("http://example.invalid/")
	go http.ListenAndServe("127.0.0.1:9105", nil)
}

// grpcLike serves a listener it is given, as grpc.Server does.
type grpcLike struct{}

func (grpcLike) Serve(lis net.Listener) error { return nil }

func TestServeGivenListener(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var s grpcLike
	go s.Serve(lis)
	net.Dial("tcp", lis.Addr().String())
}

func TestStartTLS(t *testing.T) {
	us := httptest.NewUnstartedServer(http.NotFoundHandler())
	us.StartTLS()
	defer us.Close()
	us.Client().Get(us.URL)
}

// retry calls op until it succeeds, as backoff libraries do.
func retry(op func() error) {
	for op() != nil {
	}
}

func TestRequestHandedToRetry(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9106", nil)
	retry(func() error {
		_, err := http.Get("http://127.0.0.1:9106/")
		return err
	})
	http.Get("http://127.0.0.1:9106/")
}

// Done before the listener exists signals nothing about it.
func TestWaitGroupDoneBeforeListening(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		http.ListenAndServe("127.0.0.1:9110", nil)
	}()
	wg.Wait()
	http.Get("http://127.0.0.1:9110/") // want `request may run before the server started at line \d+ listens`
}
