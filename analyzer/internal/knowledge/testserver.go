package knowledge

import (
	"go/types"
	"strings"
)

// Go 1.27's httptest.NewTestServer(t, h) returns a server that is not
// serving anything a request can reach yet, unlike NewServer's: it serves
// an in-memory network, started by the first call of its Client method,
// and only the client Client returns reaches that network (whatever the
// URL says); Start or StartTLS instead listens on a loopback port, which
// every client reaches. Its URL field is set by the first of those calls
// and is the empty string before ("http://example.com" after Client). It
// closes itself in a cleanup. Starting it after Client was called panics.

// HTTPTest is the standard library's httptest package.
const HTTPTest = "net/http/httptest"

// IsHTTPTest reports whether path is net/http/httptest, or a copy of it at
// a longer path that ends with it (vendored, or a test double of a newer
// Go's httptest for code built with an older one).
func IsHTTPTest(path string) bool {
	return path == HTTPTest || strings.HasSuffix(path, "/"+HTTPTest)
}

// IsNewTestServer reports whether fn is httptest.NewTestServer (Go 1.27).
func IsNewTestServer(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && IsHTTPTest(fn.Pkg().Path()) && fn.Signature().Recv() == nil && fn.Name() == "NewTestServer"
}

// TestServerCall is what a method of *httptest.Server does to a server
// that NewTestServer made.
type TestServerCall int

const (
	// TestServerOther: Close, Certificate, CloseClientConnections, and
	// anything not a method of the server: nothing that starts it.
	TestServerOther TestServerCall = iota
	// TestServerClient: Client, which starts the in-memory network on its
	// first call, sets URL to "http://example.com", and returns the only
	// client that reaches that network.
	TestServerClient
	// TestServerStart: Start or StartTLS, which listen on a loopback port
	// and set URL to its address: any client reaches the server.
	TestServerStart
)

// TestServerMethod returns what calling fn, a method of *httptest.Server,
// does to a server that NewTestServer made.
func TestServerMethod(fn *types.Func) TestServerCall {
	if fn == nil || fn.Pkg() == nil || !IsHTTPTest(fn.Pkg().Path()) || receiverName(fn) != "Server" {
		return TestServerOther
	}
	switch fn.Name() {
	case "Client":
		return TestServerClient
	case "Start", "StartTLS":
		return TestServerStart
	}
	return TestServerOther
}

// IsTestServerType reports whether t is httptest.Server or a pointer to
// it.
func IsTestServerType(t types.Type) bool {
	named, ok := types.Unalias(Deref(t)).(*types.Named)
	return ok && named.Obj().Pkg() != nil && IsHTTPTest(named.Obj().Pkg().Path()) && named.Obj().Name() == "Server"
}

// RequestTarget returns, for a function that sends an HTTP request, the
// operand (the receiver, if any, is 0) that says where it goes, a URL or
// a *http.Request, and whether that operand is a request rather than a
// URL: http.Get(url), client.Do(req), transport.RoundTrip(req).
func RequestTarget(fn *types.Func) (operand int, isRequest, ok bool) {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "net/http" {
		return 0, false, false
	}
	switch recv := receiverName(fn); {
	case recv == "" && fn.Signature().Recv() == nil:
		switch fn.Name() {
		case "Get", "Head", "Post", "PostForm":
			return 0, false, true
		}
	case recv == "Client":
		switch fn.Name() {
		case "Get", "Head", "Post", "PostForm":
			return 1, false, true
		case "Do":
			return 1, true, true
		}
	case recv == "Transport" || recv == "RoundTripper":
		if fn.Name() == "RoundTrip" {
			return 1, true, true
		}
	}
	return 0, false, false
}

// RequestURLArg returns the argument of http.NewRequest (and
// NewRequestWithContext) that holds the request's URL.
func RequestURLArg(fn *types.Func) (int, bool) {
	switch {
	case IsFunc(fn, "net/http", "NewRequest"):
		return 1, true
	case IsFunc(fn, "net/http", "NewRequestWithContext"):
		return 2, true
	}
	return 0, false
}

// IsDefaultClientVar reports whether obj is http.DefaultClient or
// http.DefaultTransport: a client that dials the address a request names.
func IsDefaultClientVar(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && InPackage(v, "net/http") && !v.IsField() && (v.Name() == "DefaultClient" || v.Name() == "DefaultTransport")
}

// IsClientType reports whether t is (a pointer to) http.Client or
// http.Transport, whose composite literals make a client of their own.
func IsClientType(t types.Type) bool {
	return IsType(t, "net/http", "Client", "Transport")
}
