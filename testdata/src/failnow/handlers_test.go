package failnow

import (
	"net"
	"net/http"
	"net/http/fcgi"
	"net/http/httptest"
	"testing"
)

func TestHandlerFuncLiteral(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" {
			t.Fatalf("method %s", r.Method) // want `t.Fatalf is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 12\)`
		}
	}))
	defer ts.Close()
}

func TestHandlerInVariable(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})
	ts := httptest.NewUnstartedServer(h)
	ts.Start()
	defer ts.Close()
}

func TestMuxHandleFunc(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 31\)`
	})
	mux.Handle("/b", http.HandlerFunc(namedHandler))
	ts := httptest.NewServer(mux)
	defer ts.Close()
}

var handlerT *testing.T

func namedHandler(w http.ResponseWriter, r *http.Request) {
	handlerT.Fatal("x") // want `handlerT.Fatal is called on an HTTP handler`
}

type handlerType struct{ t *testing.T }

func (h *handlerType) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.t.Fatal("x") // want `h.t.Fatal is called on an HTTP handler`
}

func TestHandlerType(t *testing.T) {
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: &handlerType{t: t}}
	_ = srv
}

func TestHandlerFromConstructor(t *testing.T) {
	ts := httptest.NewServer(newHandler(t))
	defer ts.Close()
}

func newHandler(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})
}

func TestHandlerThroughMiddleware(t *testing.T) {
	ts := httptest.NewServer(logging(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})))
	defer ts.Close()
}

func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

func TestDefaultMux(t *testing.T) {
	http.HandleFunc("/default", func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})
	go http.ListenAndServe("127.0.0.1:0", nil)
}

func TestServerHandlerAssigned(t *testing.T) {
	srv := &http.Server{}
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})
}

// The test calls the handler itself, on its own goroutine.
func TestHandlerCalledDirectly(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x")
	})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x")
	})
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestTLSServer(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.FailNow() // want `t.FailNow is called on an HTTP handler`
	}))
	defer ts.Close()
}

func TestHTTPServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatalf("x") // want `t.Fatalf is called on an HTTP handler`
	}))
}

// A helper of the package that hands the handler to a server it starts:
// the handler runs on the server's goroutines, at any depth of helpers.
func startTestServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestHandlerServedByAHelper(t *testing.T) {
	srv := startTestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("unexpected request") // want `t.Fatal is called on a goroutine that startTestServer starts`
	}))
	http.Get(srv.URL)
}

// A helper that serves one request on the calling goroutine.
func serveRecorded(h http.Handler) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	return rec
}

func TestHandlerRecordedByAHelper(t *testing.T) {
	serveRecorded(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("runs on the test's goroutine")
	}))
}

// A method of a fixture that holds the test, served as a handler through
// a method value: one finding, in the method.
type fixture struct {
	t *testing.T
}

func (f *fixture) handle(w http.ResponseWriter, r *http.Request) {
	f.t.Fatalf("unexpected request") // want `f.t.Fatalf is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 164\)`
}

func TestHandlerIsAMethodValue(t *testing.T) {
	f := &fixture{t: t}
	srv := httptest.NewServer(http.HandlerFunc(f.handle))
	defer srv.Close()
	http.Get(srv.URL)
}

// The server's Serve runs the handler it was built with: the finding is
// the handler's, once, not also at the goroutine that serves.
func TestServerBuiltWithAFailingHandlerServedOnAGoroutine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	})}
	go srv.Serve(ln)
	defer srv.Close()
}

// A FastCGI server serves each request on a goroutine of its own too.
func TestHandlerServedByFastCGI(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go fcgi.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler, which the server runs on its own goroutine \(registered at line 190\)`
	}))
}
