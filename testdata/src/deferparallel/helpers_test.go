package deferparallel

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"subtests"
)

// Where the parallel subtests and the defer are written, other than in
// the test's own body: helpers of this package and of package subtests
// that call t.Parallel or start the subtests, a closure, a generic
// function, subtest bodies in a variable and in a method value, and defers
// in a helper, a package-level body and a fixture's method.

func TestParallelThroughLocalHelper(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		markParallel(t)
		http.Get(ts.URL)
	})
}

func markParallel(t *testing.T) { deeper(t) }

func deeper(x *testing.T) { x.Parallel() }

func TestParallelThroughOtherPackage(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		subtests.Parallel(t)
		http.Get(ts.URL)
	})
}

func TestSubtestsStartedByLocalHelper(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests started by runCases use ts and run after`
	runCases(t, ts.URL)
}

func runCases(tt *testing.T, url string) {
	for _, name := range []string{"a", "b"} {
		tt.Run(name, func(st *testing.T) {
			st.Parallel()
			http.Get(url + "/" + name)
		})
	}
}

// A local closure captures t and starts the parallel subtests.
func TestSubtestsStartedByClosure(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests started by run use ts`
	run := func(name string, check func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check(t)
		})
	}
	run("get", func(t *testing.T) { http.Get(ts.URL) })
}

func TestGenericHelper(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests started by runGeneric use ts`
	runGeneric(t, ts.URL)
}

func runGeneric[S ~string](t *testing.T, url S) {
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = url
	})
}

func TestSubtestsStartedByOtherPackage(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `the parallel subtests started by subtests.Run use ts`
	subtests.Run(t, ts.URL, []string{"a"})
}

func TestSubtestsOfOtherPackageUseDerived(t *testing.T) {
	srv := &subtests.Server{URL: "http://localhost"}
	defer shutdown(srv) // want `shutdown is deferred, but the parallel subtests started by subtests.RunAgainst use srv`
	subtests.RunAgainst(t, srv)
}

func shutdown(*subtests.Server) {}

func TestOtherPackageHelperCasesFromServer(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	subtests.Run(t, "http://other", []string{ts.URL})
}

func TestSubtestInVariable(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts`
	get := func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	}
	t.Run("get", get)
}

type suite struct{ ts *httptest.Server }

func (s *suite) testGet(t *testing.T) {
	t.Parallel()
	http.Get(s.ts.URL)
}

func TestMethodValueSubtest(t *testing.T) {
	s := &suite{ts: httptest.NewServer(http.NotFoundHandler())}
	defer s.ts.Close() // want `s.ts.Close is deferred, but parallel subtest "get" uses s`
	t.Run("get", s.testGet)
}

func helperWithDefer(t *testing.T, handler http.Handler) {
	ts := httptest.NewServer(handler)
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts and runs after helperWithDefer returns`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

// A test body held in a package-level variable.
var packageLevelBody = func(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "a" uses ts and runs after the function literal returns`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestPackageLevelBody(t *testing.T) { packageLevelBody(t) }

type fixture struct {
	t  *testing.T
	ts *httptest.Server
}

func (f *fixture) runAll() {
	defer f.ts.Close() // want `f.ts.Close is deferred, but parallel subtest "a" uses f`
	f.t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(f.ts.URL)
	})
}

func TestFixtureMethod(t *testing.T) {
	f := &fixture{t: t, ts: httptest.NewServer(http.NotFoundHandler())}
	f.runAll()
}
