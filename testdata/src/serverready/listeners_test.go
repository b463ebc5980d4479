package serverready

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"gate"
	"server"
)

// Servers whose listener exists before the test goes on: created with
// net.Listen and then served, httptest servers, helpers of another package
// that listen before they return, a Run handed its listeners. No race,
// except for the Run handed none, which listens on its own goroutine.

func TestListenFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{}
	go srv.Serve(ln)
	http.Get("http://" + ln.Addr().String())
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

func TestHTTPTestServers(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	http.Get(ts.URL)
	us := httptest.NewUnstartedServer(http.NotFoundHandler())
	us.Start()
	defer us.Close()
	http.Get(us.URL)
}

func TestStartTLS(t *testing.T) {
	us := httptest.NewUnstartedServer(http.NotFoundHandler())
	us.StartTLS()
	defer us.Close()
	us.Client().Get(us.URL)
}

// server.StartReady listens, then serves on another goroutine.
func TestHelperListensThenServes(t *testing.T) {
	s := server.New("127.0.0.1:9104")
	s.StartReady()
	http.Get("http://127.0.0.1:9104/")
}

// gate.StartBound listens, serves on another goroutine, and may start
// one more that listens later: the listener it returns with is open.
func TestHelperListensThenMayListenAgain(t *testing.T) {
	g := gate.NewGate(&http.Server{Addr: "127.0.0.1:9100"})
	if err := g.StartBound(); err != nil {
		t.Fatal(err)
	}
	http.Get("http://127.0.0.1:9100/")
}

// web listens only when it is given no listeners, as prometheus' web
// handler does.
type web struct{ addr string }

func (h *web) Listeners() ([]net.Listener, error) {
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		return nil, err
	}
	return []net.Listener{ln}, nil
}

func (h *web) Run(ctx context.Context, ls []net.Listener) error {
	if len(ls) == 0 {
		var err error
		if ls, err = h.Listeners(); err != nil {
			return err
		}
	}
	for _, ln := range ls {
		go http.Serve(ln, nil)
	}
	<-ctx.Done()
	return nil
}

// Handed listeners it already has, Run only serves them.
func TestRunGivenListeners(t *testing.T) {
	h := &web{addr: "127.0.0.1:9303"}
	ls, err := h.Listeners()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		h.Run(context.Background(), ls)
	}()
	http.Get("http://127.0.0.1:9303/")
}

func TestRunWithoutListeners(t *testing.T) {
	h := &web{addr: "127.0.0.1:9304"}
	go h.Run(context.Background(), nil)
	http.Get("http://127.0.0.1:9304/") // want `request may run before the server started at line 119 listens`
}
