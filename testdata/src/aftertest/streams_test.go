package aftertest

// A connection the test only closes: closing waits for no goroutine, at
// the other end or anywhere else. Reading from it is a join (see
// negatives_test.go).

import (
	"errors"
	"net"
	"testing"
)

func TestGoroutineBesideAConnectionTheTestCloses(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	defer client.Close()
	go func() { // want `t.Errorf may run after TestGoroutineBesideAConnectionTheTestCloses has completed: the goroutine started at line 17 is not waited for`
		if err := errors.New("boom"); err != nil {
			t.Errorf("failed: %v", err)
		}
	}()
}

// The goroutine that serves the test's connection starts only once the
// test's dial is accepted: on the path where the dial fails and the test
// ends, it does not exist (net's testSendfile).
func TestConnectionServedByAGoroutineTheAcceptStarts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			conn.Write([]byte("x"))
			t.Log("served")
		}()
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 1)
	c.Read(buf)
}
