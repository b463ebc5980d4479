package go127

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Each test that fails does so every time: go test reports them too.

func TestURLBeforeClient(t *testing.T) {
	srv := httptest.NewTestServer(t, Hello)
	u := srv.URL + "/hello" // empty: unsupported protocol scheme ""
	resp, err := srv.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestDefaultClient(t *testing.T) {
	srv := httptest.NewTestServer(t, Hello)
	c := srv.Client()
	_ = c
	resp, err := http.Get(srv.URL + "/hello") // goes to example.com, not to srv
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestStarted(t *testing.T) {
	srv := httptest.NewTestServer(t, Hello)
	srv.Start()
	resp, err := http.Get(srv.URL + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestClient(t *testing.T) {
	srv := httptest.NewTestServer(t, Hello)
	resp, err := srv.Client().Get(srv.URL + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestAnyHost(t *testing.T) {
	srv := httptest.NewTestServer(t, Hello)
	resp, err := srv.Client().Get("http://example.com/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
