package go127

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// startWithTestCert takes the TLS configuration of an httptest server
// (made once it starts), closes it, and serves its own server with it on
// a goroutine, which may not listen yet when startWithTestCert returns.
// From Go 1.27 on, net/http/httptest imports testing; what testraces
// knows of it is still its tables, not its code, which would make StartTLS
// look like the helper's own listener.
func startWithTestCert(t *testing.T) *http.Server {
	ts := httptest.NewUnstartedServer(Hello)
	ts.StartTLS()
	cfg := ts.TLS.Clone()
	ts.Close()
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: Hello, TLSConfig: cfg}
	go srv.ListenAndServeTLS("", "")
	return srv
}

func TestHelperStartsTLS(t *testing.T) {
	srv := startWithTestCert(t)
	http.Get("https://" + srv.Addr)
}
