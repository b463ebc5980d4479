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
// The check reports the first request (http.Get, client.Do, net.Dial, ...,
// or a function that makes one; in TestMain, m.Run) that follows an
// asynchronous start of a server, in the same function or in a subtest
// body it starts, with nothing in between that waits for another
// goroutine. An asynchronous start is a go statement or a callback run on
// another goroutine whose code creates a listener (net.Listen,
// http.ListenAndServe, a framework's Run or Start that reaches one, in any
// package), or a call of a helper that starts a server that way and
// returns without waiting. A barrier is a channel receive or select (but
// not on a channel the server's goroutine signals before it listens),
// sync.WaitGroup.Wait, testify's Eventually, a function that waits, or a
// loop that retries the request. time.Sleep is not a barrier: it only
// makes the race rarer.
//
// It also reports a server started on the address of a listener the test
// has just closed: another process can take the port in between.
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
