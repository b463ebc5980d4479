package failnow

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"kitlike"
)

// A handler whose ServeHTTP calls a function it holds in a field: the
// function runs on the server's goroutine, for each request.
type fieldHandler struct {
	serve func(http.ResponseWriter, *http.Request)
	check func() // called by the test, not by ServeHTTP
}

func (h fieldHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve(w, r) }

func TestHandlerFieldInLiteral(t *testing.T) {
	ts := httptest.NewServer(fieldHandler{serve: func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	}})
	defer ts.Close()
}

func TestHandlerFieldInOrder(t *testing.T) {
	ts := httptest.NewServer(fieldHandler{func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	}, nil})
	defer ts.Close()
}

func TestHandlerFieldOfAnotherPackage(t *testing.T) {
	ts := httptest.NewServer(&kitlike.Server{
		Before: func(r *http.Request) {
			t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
		},
		Handle: func(w http.ResponseWriter, r *http.Request) {
			t.Fatal("y") // want `t.Fatal is called on an HTTP handler`
		},
	})
	defer ts.Close()
}

func TestHandlerFieldSetAfter(t *testing.T) {
	s := &kitlike.Server{Handle: func(http.ResponseWriter, *http.Request) {}}
	s.Before = func(r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
}

// A fake server whose handler method calls the function it was built
// with, served as a method value.
type fakeServer struct {
	onRequest func(*http.Request)
}

func (f *fakeServer) handle(w http.ResponseWriter, r *http.Request) { f.onRequest(r) }

func newFakeServer(t *testing.T) *fakeServer {
	return &fakeServer{onRequest: func(r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	}}
}

func TestHandlerMethodValueField(t *testing.T) {
	fake := &fakeServer{onRequest: func(r *http.Request) {
		t.Fatal("x") // want `t.Fatal is called on an HTTP handler`
	}}
	ts := httptest.NewServer(http.HandlerFunc(fake.handle))
	defer ts.Close()
}

func TestHandlerMethodValueFieldFromFactory(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(newFakeServer(t).handle))
	defer ts.Close()
}

// Negatives: a field its ServeHTTP does not call, and a handler the test
// calls itself.

func TestHandlerFieldNotServed(t *testing.T) {
	s := &kitlike.Server{
		Handle:  func(http.ResponseWriter, *http.Request) {},
		OnClose: func() { t.Fatal("closed") },
	}
	ts := httptest.NewServer(s)
	ts.Close()
	s.Close()
}

func TestHandlerFieldCheckedByTheTest(t *testing.T) {
	h := fieldHandler{
		serve: func(http.ResponseWriter, *http.Request) {},
		check: func() { t.Fatal("x") },
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	h.check()
}

func TestHandlerMethodValueCalledDirectly(t *testing.T) {
	fake := &fakeServer{onRequest: func(r *http.Request) { t.Fatal("x") }}
	fake.handle(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestHandlerFieldCalledDirectly(t *testing.T) {
	h := &kitlike.Server{Handle: func(http.ResponseWriter, *http.Request) {
		t.Fatal("x")
	}}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}
