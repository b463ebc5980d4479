package serverready

import (
	"net"
	"net/http"
	"testing"
	"time"

	"server"
)

// Helpers that start a server and hand the test a function to run with
// its address, calling it before the server listens: the requests the
// function sends race the listener. A helper of the package is reported
// once, where it calls the function, whatever number of tests call it;
// one of another package at each request.

var shared *http.Server

func withServer(t *testing.T, f func(url string)) {
	if shared == nil {
		shared = &http.Server{Addr: "127.0.0.1:8475"}
		go shared.ListenAndServe()
		time.Sleep(50 * time.Millisecond)
	}
	f("http://127.0.0.1:8475") // want `the requests that f sends \(line 31 and 1 more\) may run before the server started at line 23 listens: f is called before the server's goroutine has created its listener.* \(the sleep at line 24 only makes the race rarer`
}

func TestCallbackHelperVersion(t *testing.T) {
	withServer(t, func(url string) {
		http.Get(url + "/version")
	})
}

func TestCallbackHelperProxies(t *testing.T) {
	withServer(t, func(url string) {
		http.Get(url + "/proxies")
	})
}

func TestCallbackHelperOtherPackage(t *testing.T) {
	server.With("127.0.0.1:8476", func(url string) {
		http.Get(url) // want `request may run before the server that server.With started at line 42 listens: server.With calls the function it is given before the server's goroutine has created its listener`
	})
}

// Negatives: the helper listens first, or waits for the server, before it
// calls the function.

func withReadyServer(t *testing.T, f func(url string)) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, nil)
	f("http://" + ln.Addr().String())
}

func TestCallbackHelperListensFirst(t *testing.T) {
	withReadyServer(t, func(url string) {
		http.Get(url)
	})
}

func TestCallbackHelperOtherPackageListensFirst(t *testing.T) {
	server.WithReady("127.0.0.1:0", func(url string) {
		http.Get(url)
	})
}

func withPolledServer(t *testing.T, f func(url string)) {
	go http.ListenAndServe("127.0.0.1:8477", nil)
	for {
		if c, err := net.Dial("tcp", "127.0.0.1:8477"); err == nil {
			c.Close()
			break
		}
	}
	f("http://127.0.0.1:8477")
}

func TestCallbackHelperPollsFirst(t *testing.T) {
	withPolledServer(t, func(url string) {
		http.Get(url)
	})
}
