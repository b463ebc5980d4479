// Package serverready defines an Analyzer that reports requests a test
// sends to a server it started on another goroutine before anything waits
// for that server to listen.
//
// # Analyzer serverready
//
// serverready: report requests that may run before the server they go to listens
//
// A test that starts a server in a goroutine and then sends it a request
// races the goroutine: if the request runs first, it fails with "connect:
// connection refused", once in a hundred runs:
//
//	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: h}
//	go srv.ListenAndServe()
//	resp, err := http.Get("http://127.0.0.1:8080/") // may run before the listener exists
//
// The check reports, in test code, the first request (http.Get,
// client.Do, any RoundTrip, net.Dial, tls.Dial, or a function of any
// package that makes one, a client's constructor that connects and then
// waits for the server's reply among them; in TestMain, m.Run) that
// follows a start of a server, in the same function, in a subtest body or
// a fuzz target it starts, with no barrier in between.
//
// A start is anything that leads to a listener being created later, on
// another goroutine: a go statement or a callback run on another goroutine
// (errgroup's Go, wg.Go) whose code listens (net.Listen,
// http.ListenAndServe, through any chain of calls, and through interface
// values whose concrete types the package shows), or runs a function
// that itself starts such a goroutine and does not wait for it (go
// s.Run(ctx), for a Run that listens on a goroutine of its own and then
// blocks on signals, errors and ctx.Done()); or the call of such a helper,
// which returns before its listener exists, or calls the function it is
// given first (WithServer(t, func(url string) {...}): reported once, in
// the helper, when it is the package's). A function that binds its
// listener before it returns (net.Listen, then go srv.Serve(ln)) is no
// start when called. QUIC servers listen on UDP (quic-go's ListenAddr,
// http3's ListenAndServe family); one served on a packet socket the test
// bound is ready.
//
// A barrier is only something that happens after the listener exists: a
// receive from a channel (or a Started()-style accessor, a WaitGroup) that
// the server's goroutine signals after it binds, or that the test does not
// see the server signal at all; a function that waits before it dials
// (one that dials first is a request, and a barrier once it returns);
// testify's Eventually; a loop that retries a dial or request until it
// succeeds. A receive from what one server signals once it listens is a
// barrier for that server only: a TestMain that waits for one of two
// servers is reported at m.Run, whose tests may send requests to either.
// Not barriers: ctx.Done(), signal channels, what the server's goroutine
// signals before it listens or after it stopped (an error channel, the
// errgroup that runs it), time.Sleep and time.After (they only make the
// race rarer), and a loop of requests that fails the test on an error.
//
// It also reports a server started on the address of a listener or
// httptest.Server the test has closed, whether the address reaches it
// directly, through an http.Server literal, a constructor, a server's own
// listen or a helper's of any package (the facts that say which operand
// is the address, also through a configuration struct's field), a
// function that parses the address from what it is given, or a
// Run-style start: another process can take the port in between. A free-port helper
// (one that listens on port 0, closes the listener and returns its port
// or address, in any package, or a function literal held in a variable)
// counts as such a closed listener, and so does one closed through a
// value built holding it (m := &mock{ln: ln, addr: ...}; m.ln.Close()).
//
// For Go 1.27's httptest.NewTestServer(t, h), which serves an in-memory
// network that only srv.Client() reaches until srv.Start() or
// srv.StartTLS() listens on a loopback port, and whose URL is empty until
// the first of those three calls, it reports a read of srv.URL before any
// of them, and a request to the server (its URL, or a request made from
// it) through another client (http.Get, http.DefaultClient, a client of
// the test's own) while the server was not started; directly, or in a
// function of the package the server is handed to. Both only where the
// function that made the server shows it for certain, in source order,
// and only the first misuse of each server.
//
// The suggested fix, for go srv.ListenAndServe() and go
// http.ListenAndServe(addr, h) (directly or in a go func() { ... }()),
// creates the listener first with net.Listen and serves it:
//
//	ln, err := net.Listen("tcp", srv.Addr)
//	if err != nil {
//		t.Fatal(err)
//	}
//	go srv.Serve(ln)
package serverready
