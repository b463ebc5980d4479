package deferparallel

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Subtest bodies that are values: a table entry's function, a closure a
// helper hands back, whatever code the value may be.

func TestBodyFromATableEntry(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests named by tc.name use ts and run after TestBodyFromATableEntry returns`
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"get", func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}

func TestBodyAClosureHandsBack(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts and runs after TestBodyAClosureHandsBack returns`
	get := func(url string) func(*testing.T) {
		return func(t *testing.T) {
			t.Parallel()
			http.Get(url)
		}
	}
	t.Run("get", get(ts.URL))
}

func TestSerialBodyFromATableEntry(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"get", func(t *testing.T) { http.Get(ts.URL) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}
