// Package httpfix is the module TestStandaloneFix runs testraces -fix on:
// the findings whose fixes rewrite net/http code, which testdata/fixture
// (net only, to keep the other ways in cheap) does not have.
package httpfix

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// srvAddr is where TestServerReady's server listens: the environment's
// choice, not a port fixed in the test.
var srvAddr = "127.0.0.1:" + os.Getenv("HTTPFIX_PORT")

func TestDeferParallel(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestServerReady(t *testing.T) {
	srv := &http.Server{Addr: srvAddr, Handler: http.NotFoundHandler()}
	go srv.ListenAndServe()
	http.Get("http://" + srvAddr + "/")
}
