package deferparallel

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	tst "testing"
)

// How the test is written: a parallel parent, table-driven subtests,
// t.Parallel under a condition or a flag, the defer inside an if, after
// t.Run or of a function literal, an unrelated t.Cleanup before it, a group
// one level down, nested loops, an aliased testing import.

func TestParallelParent(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestTableDriven(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests named by tc.name use ts and run after TestTableDriven returns`
	for _, tc := range []struct{ name, path string }{{"a", "/a"}, {"b", "/b"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL + tc.path)
		})
	}
}

func TestConditionalParallel(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		if !testing.Short() {
			t.Parallel()
		}
		http.Get(ts.URL)
	})
}

// The defer runs under -update and the subtest is parallel under -update
// too: report.
func TestDeferAndParallelUnderSameFlag(t *testing.T) {
	path := os.TempDir() + "/golden"
	if *update {
		defer os.Remove(path) // want `os.Remove is deferred`
	}
	t.Run("golden", func(t *testing.T) {
		if *update {
			t.Parallel()
		}
		os.ReadFile(path)
	})
}

func TestDeferInsideIf(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	if ts != nil {
		defer ts.Close() // want `ts.Close is deferred`
	}
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestDeferAfterRun(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts`
}

func TestDeferredFunctionLiteral(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer func() { // want `a function literal is deferred, but parallel subtest "get" uses ts`
		ts.Close()
	}()
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestUnrelatedCleanupDoesNotHide(t *testing.T) {
	t.Cleanup(func() {})
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestOneLevelDown(t *testing.T) {
	t.Run("group", func(t *testing.T) {
		ts := httptest.NewServer(http.NotFoundHandler())
		defer ts.Close() // want `ts.Close is deferred, but parallel subtest "a" uses ts and runs after subtest "group" returns; use t.Cleanup`
		t.Run("a", func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL)
		})
	})
}

func TestNestedLoopsOfSubtests(t *testing.T) {
	for _, mode := range []string{"fast", "slow"} {
		dir, _ := os.MkdirTemp("", mode)
		defer os.RemoveAll(dir) // want `os.RemoveAll is deferred, but the parallel subtests named by name use dir`
		for _, name := range []string{"a", "b"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				os.ReadDir(dir)
			})
		}
	}
}

func TestAliasedTestingImport(t *tst.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *tst.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}
