// Package samefindings has four findings with the same text: golangci-lint
// keeps at most three issues with the same text unless told otherwise.
package samefindings

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHandler(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Fatal("not a POST")
		}
		if r.URL.Path != "/items" {
			t.Fatal("not /items")
		}
		if r.Header.Get("Content-Type") != "application/json" {
			t.Fatal("not JSON")
		}
		if _, err := io.ReadAll(r.Body); err != nil {
			t.Fatal(err)
		}
	}))
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/items", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
