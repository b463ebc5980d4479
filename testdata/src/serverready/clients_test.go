package serverready

import (
	"net"
	"net/http"
	"testing"
	"time"

	"server"
)

// Clients whose constructor connects, then waits for the server's reply:
// the connection may come before a server that is starting listens; once
// the constructor has returned, the server has answered.

func TestClientConnectsBeforeListen(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9300", nil)
	c, err := server.Connect("127.0.0.1:9300") // want `request may run before the server started at line 17 listens`
	if err != nil {
		t.Fatal(err)
	}
	_ = c
	http.Get("http://127.0.0.1:9300/") // the server has answered Connect
}

// dialAndGreet is server.Connect written in the test's package.
func dialAndGreet(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	reply := make(chan error, 1)
	go func() {
		_, err := conn.Read(make([]byte, 1))
		reply <- err
	}()
	return <-reply
}

func TestLocalClientConnectsBeforeListen(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9301", nil)
	dialAndGreet("127.0.0.1:9301") // want `request may run before the server started at line 42 listens`
}

func TestClientAfterReadiness(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9302", nil)
	server.WaitReady("http://127.0.0.1:9302/")
	server.Connect("127.0.0.1:9302")
}

// waitThenDial waits for the server to answer before it connects.
func waitThenDial(addr string) error {
	server.WaitReady("http://" + addr + "/")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

func TestHelperWaitsBeforeItDials(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9303", nil)
	waitThenDial("127.0.0.1:9303")
}

// echoSelf listens, then dials its own listener and waits for the echo:
// what it dials is its own.
func echoSelf() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	echo := make(chan error, 1)
	go func() {
		_, err := conn.Read(make([]byte, 1))
		echo <- err
	}()
	return <-echo
}

func TestHelperDialsItsOwnListener(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9304", nil)
	echoSelf()
}

// dialRetrying tries once, then again until it connects: it waits for the
// server, though its first try comes first.
func dialRetrying(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	for i := 0; err != nil && i < 50; i++ {
		time.Sleep(10 * time.Millisecond)
		conn, err = net.Dial("tcp", addr)
	}
	return conn, err
}

func TestHelperRetriesItsDial(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9305", nil)
	dialRetrying("127.0.0.1:9305")
}
