package serverready

import (
	"net"
	"net/http"
	"testing"
	"time"

	"server"
)

// Helpers that start a server and return: unready when they return before
// its listener exists, which the caller's request races (the message names
// the helper), ready when they wait for the listener first.

func startServer(t *testing.T) *server.Server {
	s := server.New("127.0.0.1:9000")
	s.Start()
	return s
}

func TestUnreadyHelperOtherPackage(t *testing.T) {
	s := server.New("127.0.0.1:9001")
	s.Start()
	http.Get("http://127.0.0.1:9001/") // want `request may run before the server that s.Start started at line 24 listens: s.Start returns before the server's goroutine has created its listener`
}

func TestUnreadyHelperInSubtest(t *testing.T) {
	t.Run("a", func(t *testing.T) {
		startServer(t)
		http.Get("http://127.0.0.1:9000/") // want `request may run before the server that startServer started at line 30 listens`
	})
}

func launch() {
	go http.ListenAndServe("127.0.0.1:9002", nil)
}

func TestUnreadyLocalHelper(t *testing.T) {
	launch()
	http.Get("http://127.0.0.1:9002/") // want `request may run before the server that launch started`
}

// startSignalledEarly closes ready before its goroutine listens: waiting
// for ready does not wait for the listener, so the helper returns unready.
func startSignalledEarly() {
	ready := make(chan struct{})
	go func() {
		close(ready)
		http.ListenAndServe("127.0.0.1:9003", nil)
	}()
	<-ready
}

func TestUnreadyHelperSignalledEarly(t *testing.T) {
	startSignalledEarly()
	http.Get("http://127.0.0.1:9003/") // want `request may run before the server that startSignalledEarly started`
}

// startSignalledAfterListen closes ready once its listener exists: the
// helper returns ready.
func startSignalledAfterListen() {
	ready := make(chan struct{})
	go func() {
		ln, err := net.Listen("tcp", "127.0.0.1:9004")
		if err != nil {
			return
		}
		close(ready)
		http.Serve(ln, nil)
	}()
	<-ready
}

func TestReadyHelperSignalledAfterListen(t *testing.T) {
	startSignalledAfterListen()
	http.Get("http://127.0.0.1:9004/")
}

// startAndSleep sleeps after starting its server, as if that waited.
func startAndSleep() {
	go http.ListenAndServe("127.0.0.1:9005", nil)
	time.Sleep(time.Second)
}

func TestUnreadyHelperThatSleeps(t *testing.T) {
	startAndSleep()
	http.Get("http://127.0.0.1:9005/") // want `request may run before the server that startAndSleep started at line 87 listens: .* \(the sleep at line 83 only makes the race rarer: sleeping is not waiting\)`
}
