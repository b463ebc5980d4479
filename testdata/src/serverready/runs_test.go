package serverready

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"gate"
	"golang.org/x/sync/errgroup"
)

// Servers of package gate whose Run listens on a goroutine of its own, run
// the ways tests run them and sent requests the ways tests send them: each
// reported. Then the wait that gate's own API offers; the waits that work
// for any server are in barriers_test.go and polls_test.go.

func newGate() *gate.Gate {
	return gate.NewGate(&http.Server{Addr: "127.0.0.1:9100"})
}

func TestGoRun(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.Run starts \(line 25\) listens: g.Run creates its listener on a goroutine of its own`
}

func TestGoFuncRun(t *testing.T) {
	g := newGate()
	go func() {
		if err := g.Run(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server started at line 31 listens`
}

func TestErrgroupRun(t *testing.T) {
	g := newGate()
	var eg errgroup.Group
	eg.Go(func() error { return g.Run(context.Background()) })
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server started at line 42 listens`
}

func TestErrgroupMethodValue(t *testing.T) {
	g := newGate()
	var eg errgroup.Group
	eg.Go(g.Start2)
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.Start2 starts \(line 49\) listens`
}

func TestWaitGroupGoRun(t *testing.T) {
	g := newGate()
	var wg sync.WaitGroup
	wg.Go(func() { g.Run(context.Background()) })
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server started at line 56 listens`
}

func TestGoRunNested(t *testing.T) {
	g := newGate()
	go g.RunNested(context.Background())
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.RunNested starts`
}

func TestGoServeWithErrgroupInside(t *testing.T) {
	g := newGate()
	go g.Serve(context.Background())
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.Serve starts`
}

func TestStartReturnsAtOnce(t *testing.T) {
	g := newGate()
	g.Start()
	http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.Start started at line 74 listens`
}

func TestRoundTripTransport(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	req, _ := http.NewRequest("GET", "http://127.0.0.1:9100/", nil)
	(&http.Transport{}).RoundTrip(req) // want `request may run before the server that g.Run starts`
}

func TestRoundTripInterface(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	req, _ := http.NewRequest("GET", "http://127.0.0.1:9100/", nil)
	var rt http.RoundTripper = http.DefaultTransport
	rt.RoundTrip(req) // want `request may run before the server that g.Run starts`
}

func TestClientWrapperOtherPackage(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	gate.Fetch("http://127.0.0.1:9100/") // want `request may run before the server that g.Run starts`
}

func TestRunThenRequestInSubtest(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	t.Run("get", func(t *testing.T) {
		http.Get("http://127.0.0.1:9100/") // want `request may run before the server that g.Run starts`
	})
}

func FuzzRequestInTarget(f *testing.F) {
	g := newGate()
	go g.Run(context.Background())
	f.Fuzz(func(t *testing.T, path string) {
		http.Get("http://127.0.0.1:9100/" + path) // want `request may run before the server that g.Run starts`
	})
}

func TestSleepAfterRun(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	time.Sleep(10 * time.Millisecond)
	http.Get("http://127.0.0.1:9100/") // want `sleeping is not waiting`
}

func TestFixedLoopOfRequests(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	for i := 0; i < 3; i++ {
		if _, err := http.Get("http://127.0.0.1:9100/"); err != nil { // want `request may run before the server that g.Run starts`
			t.Fatal(err)
		}
	}
}

func TestLoopOfRequestsHelper(t *testing.T) {
	g := newGate()
	go g.Run(context.Background())
	gate.PingN("127.0.0.1:9100", 3) // want `request may run before the server that g.Run starts`
}

// Repaired: waiting for what the server signals once it listens.

func TestGoRunReadyWaited(t *testing.T) {
	g := newGate()
	go g.RunReady(context.Background())
	<-g.Ready()
	http.Get("http://127.0.0.1:9100/")
}
