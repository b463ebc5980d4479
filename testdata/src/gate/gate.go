// Package gate is a composable application server, in the shapes real
// code writes: Run methods that listen on goroutines of their own and
// then block on what says nothing about readiness, helpers nested inside
// them, Start methods that bind first, clients and polling helpers. Its
// facts tell other packages which of them are unready.
package gate

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

// Gate serves one http.Server.
type Gate struct {
	srv    *http.Server
	ready  chan struct{}
	reload bool
}

// NewGate returns a gate for srv.
func NewGate(srv *http.Server) *Gate { // want NewGate:"stores=0:net/http.Handler@result"
	return &Gate{srv: srv, ready: make(chan struct{})}
}

// Run listens on a goroutine of its own, then blocks until an error or
// the context's end.
func (g *Gate) Run(ctx context.Context) error { // want Run:"unready"
	errs := make(chan error, 1)
	go func() {
		if err := g.srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			errs <- err
		}
	}()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
		return g.srv.Shutdown(context.Background())
	}
}

// RunNested listens through helpers, two goroutines deep.
func (g *Gate) RunNested(ctx context.Context) error { // want RunNested:"unready"
	g.serveLoop()
	<-ctx.Done()
	return g.srv.Close()
}

func (g *Gate) serveLoop() { // want serveLoop:"unready"
	go g.listen()
}

func (g *Gate) listen() { // want listen:"listens"
	go func() {
		g.srv.ListenAndServe()
	}()
	g.srv.ListenAndServe()
}

// Serve runs the server in an errgroup and waits for the group, which
// ends when the server does.
func (g *Gate) Serve(ctx context.Context) error { // want Serve:"unready"
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() error { return g.srv.ListenAndServe() })
	eg.Go(func() error {
		<-ctx.Done()
		return g.srv.Shutdown(context.Background())
	})
	return eg.Wait()
}

// RunReady closes the channel Ready returns once it listens.
func (g *Gate) RunReady(ctx context.Context) error { // want RunReady:"unready"
	go func() {
		ln, err := net.Listen("tcp", g.srv.Addr)
		if err != nil {
			return
		}
		close(g.ready)
		g.srv.Serve(ln)
	}()
	<-ctx.Done()
	return g.srv.Close()
}

// Ready is closed once RunReady listens.
func (g *Gate) Ready() <-chan struct{} { return g.ready }

// Start serves on another goroutine and returns at once.
func (g *Gate) Start() { // want Start:"unready"
	go g.srv.ListenAndServe()
}

// StartBound binds first and serves on another goroutine; when asked,
// it also watches for a new configuration, which listens again later.
func (g *Gate) StartBound() error { // want StartBound:"listens binds"
	ln, err := net.Listen("tcp", g.srv.Addr)
	if err != nil {
		return err
	}
	go g.srv.Serve(ln)
	if g.reload {
		go g.listen()
	}
	return nil
}

// Fetch gets url: a client wrapper.
func Fetch(url string) error { // want Fetch:"dials"
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// WaitUntilUp polls addr until it accepts a connection, as the seed's
// answer does: a bounded loop that tries again on a dial error.
func WaitUntilUp(addr string) error { // want WaitUntilUp:"dials waits"
	for i := 0; i < 10; i++ {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		return conn.Close()
	}
	return errors.New("not up")
}

// PingN dials addr n times and gives up at the first failure: a loop of
// requests, not a poll.
func PingN(addr string, n int) error { // want PingN:"dials"
	for i := 0; i < n; i++ {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		conn.Close()
	}
	return nil
}

// Start2 is Start for errgroup: it serves on another goroutine and
// returns at once.
func (g *Gate) Start2() error { // want Start2:"unready"
	go g.srv.ListenAndServe()
	return nil
}
