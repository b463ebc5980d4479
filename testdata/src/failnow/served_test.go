package failnow

// Callbacks a helper of the package hands to what runs them on goroutines
// of its own: a handler given to a server as an http.HandlerFunc, or
// registered on a mux that a server it starts serves; a function value
// a goroutine is given as its argument; a callback kept in a field and
// started with go; a closure a helper hands back, kept and run later.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func serveFunc(t *testing.T, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestHandlerFuncGivenToAHelperThatServesIt(t *testing.T) {
	srv := serveFunc(t, func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("unexpected request") // want `t.Fatal is called on a goroutine that serveFunc starts at line 24`
	})
	http.Get(srv.URL)
}

func serveOnMux(t *testing.T, h http.HandlerFunc) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestHandlerGivenToAHelperThatServesItOnAMux(t *testing.T) {
	url := serveOnMux(t, func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("unexpected request") // want `t.Fatal is called on a goroutine that serveOnMux starts at line 44`
	})
	http.Get(url)
}

func TestFunctionGivenToAGoroutineAsItsArgument(t *testing.T) {
	check := func() { t.Fatal("failed") }
	var wg sync.WaitGroup
	wg.Add(1)
	go func(f func()) {
		defer wg.Done()
		f() // want `f is called on a goroutine started at line 54`
	}(check)
	wg.Wait()
}

func TestFunctionGivenToAFunctionCalledHere(t *testing.T) {
	check := func() { t.Fatal("failed") }
	func(f func()) {
		f()
	}(check)
}

type peer struct {
	mu      sync.Mutex
	onTrack func(name string)
}

func (p *peer) OnTrack(f func(name string)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onTrack = f
}

func (p *peer) receive(name string) {
	p.mu.Lock()
	handler := p.onTrack
	p.mu.Unlock()
	if handler != nil {
		go handler(name)
	}
}

func TestCallbackKeptInAFieldStartedWithGo(t *testing.T) {
	p := &peer{}
	done := make(chan struct{})
	p.OnTrack(func(name string) {
		if name != "audio" {
			t.Fatalf("got %q", name) // want `t.Fatalf is called on a goroutine that p.receive starts at line 97`
		}
		close(done)
	})
	p.receive("audio")
	<-done
}

type router struct {
	handlers []func(msg string)
	in       chan string
}

func (r *router) AddHandler(h func(msg string)) { r.handlers = append(r.handlers, h) }

func (r *router) Run() {
	for msg := range r.in {
		for _, h := range r.handlers {
			go h(msg)
		}
	}
}

func expecting(t *testing.T, want string) func(msg string) {
	return func(msg string) {
		if msg != want {
			t.Fatalf("got %q", msg) // want `t.Fatalf is called on a goroutine that r.Run starts at line 127`
		}
	}
}

func TestHandlerAHelperBuildsKeptAndRunLater(t *testing.T) {
	r := &router{in: make(chan string)}
	r.AddHandler(expecting(t, "hello"))
	go r.Run()
	r.in <- "hello"
	close(r.in)
}

type scheduler struct {
	actions []func()
}

func (s *scheduler) Do(f func()) { s.actions = append(s.actions, f) }

func (s *scheduler) Run() {
	for _, f := range s.actions {
		go func(f func()) {
			f()
		}(f)
	}
}

type instance struct {
	t *testing.T
}

func (i *instance) Reload() {
	i.t.Fatal("reload failed")
}

func TestActionKeptAndStartedAsAGoroutinesArgument(t *testing.T) {
	s := &scheduler{}
	in := &instance{t: t}
	s.Do(in.Reload) // want `in.Reload is called on a goroutine started by s.Run at line 158`
	s.Run()
}

type opQueue struct {
	mu  sync.Mutex
	ops []func()
}

func (q *opQueue) Enqueue(op func()) {
	q.mu.Lock()
	q.ops = append(q.ops, op)
	q.mu.Unlock()
	go q.drain()
}

func (q *opQueue) drain() {
	q.mu.Lock()
	ops := q.ops
	q.ops = nil
	q.mu.Unlock()
	for _, op := range ops {
		op()
	}
}

type conn struct {
	ops     opQueue
	onTrack func(name string)
}

func (c *conn) OnTrack(f func(name string)) { c.onTrack = f }

func (c *conn) startReceiver(name string) {
	if h := c.onTrack; h != nil {
		go h(name)
	}
}

func (c *conn) SetRemoteDescription(name string) {
	c.ops.Enqueue(func() { c.startReceiver(name) })
}

func TestCallbackStartedFromAnOperationsQueue(t *testing.T) {
	c := &conn{}
	c.OnTrack(func(name string) {
		t.Fatal("track", name) // want `t.Fatal is called on a goroutine that c.SetRemoteDescription starts at line 205`
	})
	c.SetRemoteDescription("audio")
}

// setupAPI serves a mux it hands back second, as go-github's setup(t)
// does.
func setupAPI(t *testing.T) (client *http.Client, mux *http.ServeMux, url string) {
	mux = http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.Client(), mux, srv.URL
}

func TestHandlerOnAMuxAHelperServesAndHandsBackSecond(t *testing.T) {
	client, mux, url := setupAPI(t)
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("unexpected request") // want `t.Fatal is called on a goroutine that setupAPI starts at line 218`
	})
	client.Get(url + "/x")
}

type inlineBroker struct {
	handler func(msg string)
}

func (b *inlineBroker) Subscribe(h func(msg string)) { b.handler = h }

func (b *inlineBroker) Publish(msg string) { b.handler(msg) }

func TestCallbackRunByACallTheTestMakesOnAGoroutine(t *testing.T) {
	b := &inlineBroker{}
	done := make(chan struct{})
	b.Subscribe(func(msg string) {
		defer close(done)
		t.Fatal("got", msg) // want `t.Fatal is called on a goroutine that b.Publish \(called in the function literal at line 240\) starts`
	})
	go func() {
		b.Publish("hello")
	}()
	<-done
}
