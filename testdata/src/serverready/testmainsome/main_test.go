package testmainsome

import (
	"net"
	"net/http"
	"os"
	"testing"
)

// A TestMain that starts two servers and waits for only one of them: the
// tests' requests to the other may come before it listens.

func TestMain(m *testing.M) {
	apiReady := make(chan struct{})
	go func() {
		ln, err := net.Listen("tcp", "127.0.0.1:9301")
		if err != nil {
			panic(err)
		}
		close(apiReady)
		http.Serve(ln, nil)
	}()
	go http.ListenAndServe("127.0.0.1:9302", nil)
	<-apiReady
	os.Exit(m.Run()) // want `the tests that m.Run runs send requests that may run before the server started at line 23 listens`
}

func TestAPI(t *testing.T) {
	http.Get("http://127.0.0.1:9301/")
	http.Get("http://127.0.0.1:9302/")
}
