package serverready

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Waits that the real world writes, each with its racy twin.

// notifyServer calls NotifyStartedFunc once it listens, as miekg/dns'
// Server does.
type notifyServer struct {
	addr              string
	NotifyStartedFunc func()
}

func (s *notifyServer) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.NotifyStartedFunc()
	return http.Serve(ln, nil)
}

// Locking a mutex the test holds waits until the server unlocks it.
func TestMutexLatch(t *testing.T) {
	var mu sync.Mutex
	srv := &notifyServer{addr: "127.0.0.1:9300", NotifyStartedFunc: mu.Unlock}
	mu.Lock()
	go srv.ListenAndServe()
	mu.Lock()
	http.Get("http://127.0.0.1:9300/")
}

func TestMutexLockedOnce(t *testing.T) {
	var mu sync.Mutex
	srv := &notifyServer{addr: "127.0.0.1:9301", NotifyStartedFunc: mu.Unlock}
	mu.Lock()
	go srv.ListenAndServe()
	http.Get("http://127.0.0.1:9301/") // want `request may run before the server started at line 44 listens`
}

// checkFor polls a predicate until it holds, as nats-server's does.
func checkFor(t *testing.T, total, tick time.Duration, f func() error) {
	deadline := time.Now().Add(total)
	for time.Now().Before(deadline) {
		if err := f(); err == nil {
			return
		}
		time.Sleep(tick)
	}
	t.Fatal("timed out")
}

func TestPollingPredicate(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9302", nil)
	checkFor(t, time.Second, 10*time.Millisecond, func() error {
		return nil
	})
	http.Get("http://127.0.0.1:9302/")
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
	http.Get("http://127.0.0.1:9304/") // want `request may run before the server started at line 109 listens`
}
