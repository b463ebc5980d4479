package fixedport

// Servers that the package's helpers build and return, and the test
// starts: the address is the helper's, when the helper is given nothing
// but the test.

import (
	"net/http"
	"testing"

	"appserver"
)

// newBackend builds a server on a fixed address for the test that starts
// it.
func newBackend(t *testing.T) *http.Server {
	server := &http.Server{
		Addr:    "127.0.0.1:54321",
		Handler: http.NotFoundHandler(),
	}
	return server
}

func TestServerAHelperBuildsOnAFixedAddress(t *testing.T) {
	server := newBackend(t)
	go server.ListenAndServe() // want `the test listens on the fixed port 54321`
	defer server.Close()
}

// newBackendOn builds a server on the address its caller gives.
func newBackendOn(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: http.NotFoundHandler()}
}

func TestServerAHelperBuildsOnTheAddressItIsGiven(t *testing.T) {
	server := newBackendOn("127.0.0.1:0")
	go server.ListenAndServe()
	defer server.Close()
}

// A configuration kept in a package-level variable of the test files,
// which nothing changes.
var sharedConfig = appserver.Config{Host: "localhost", Port: 8093}

func TestServerConfiguredByAPackageLevelVariable(t *testing.T) {
	srv := appserver.New(sharedConfig)
	go srv.Run() // want `the test listens on the fixed port 8093 through srv.Run`
}

// A configuration in a package-level variable that a helper changes.
var movableConfig = appserver.Config{Host: "localhost", Port: 8094}

func useFreePort() { movableConfig.Port = 0 }

func TestServerConfiguredByAPackageLevelVariableMovedElsewhere(t *testing.T) {
	useFreePort()
	srv := appserver.New(movableConfig)
	go srv.Run()
}
