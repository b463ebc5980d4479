package testmain

import (
	"net/http"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	go http.ListenAndServe("127.0.0.1:9200", nil)
	os.Exit(m.Run()) // want `the tests that m.Run runs send requests that may run before the server started at line 10 listens`
}

func TestGet(t *testing.T) {
	http.Get("http://127.0.0.1:9200/")
}
