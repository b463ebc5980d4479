package deferparallel

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func setup(t *testing.T) func() {
	return func() {}
}

func newServer(t *testing.T) (*httptest.Server, func()) {
	ts := httptest.NewServer(http.NotFoundHandler())
	return ts, ts.Close
}

func TestSetupTeardownCalledInDefer(t *testing.T) {
	defer setup(t)() // want `the teardown returned by setup\(t\) is deferred, but parallel subtest "a" runs after TestSetupTeardownCalledInDefer returns, when what setup\(t\) set up is already torn down; use t.Cleanup`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestSetupTeardownInVariable(t *testing.T) {
	teardown := setup(t)
	defer teardown() // want `teardown is deferred, but parallel subtest "a" runs after TestSetupTeardownInVariable returns, when what setup\(t\) set up is already torn down`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestCleanupReturnedWithServer(t *testing.T) {
	srv, cleanup := newServer(t)
	defer cleanup() // want `cleanup is deferred, but parallel subtest "a" uses srv`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(srv.URL)
	})
}
