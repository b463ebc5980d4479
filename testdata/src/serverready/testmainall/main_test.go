package testmainall

import (
	"net"
	"net/http"
	"os"
	"testing"
)

// A TestMain that waits for each of its servers.

func serve(addr string, ready chan<- struct{}) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		panic(err)
	}
	close(ready)
	http.Serve(ln, nil)
}

func TestMain(m *testing.M) {
	apiReady, adminReady := make(chan struct{}), make(chan struct{})
	go serve("127.0.0.1:9311", apiReady)
	go serve("127.0.0.1:9312", adminReady)
	<-apiReady
	<-adminReady
	os.Exit(m.Run())
}

func TestAPI(t *testing.T) {
	http.Get("http://127.0.0.1:9311/")
	http.Get("http://127.0.0.1:9312/")
}
