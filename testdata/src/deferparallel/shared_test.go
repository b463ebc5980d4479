package deferparallel

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	tst "testing"

	"subtests"
)

func TestServerClosedBeforeParallelSubtest(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts and runs after TestServerClosedBeforeParallelSubtest returns; use t.Cleanup`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestParallelParent(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestCancelGroupedWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // want `cancel is deferred, but parallel subtest "a" uses ctx and runs after`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		<-ctx.Done()
	})
}

func TestTempDirRemoved(t *testing.T) {
	dir, err := os.MkdirTemp("", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir) // want `os.RemoveAll is deferred, but parallel subtest "write" uses dir`
	t.Run("write", func(t *testing.T) {
		t.Parallel()
		os.WriteFile(dir+"/f", nil, 0o600)
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

func TestDerivedValue(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses url`
	url := ts.URL + "/health"
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(url)
	})
}

func TestDerivedThroughTable(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests named by tc.name use tc`
	tests := []struct{ name, url string }{{"a", ts.URL + "/a"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			http.Get(tc.url)
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

func TestUnrelatedCleanupDoesNotHide(t *testing.T) {
	t.Cleanup(func() {})
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestAliasedTestingImport(t *tst.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred`
	t.Run("get", func(t *tst.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
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

func TestSubtestUsesClosure(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses fetch`
	fetch := func() { http.Get(ts.URL) }
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		fetch()
	})
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

func helperWithDefer(t *testing.T, handler http.Handler) {
	ts := httptest.NewServer(handler)
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts and runs after helperWithDefer returns`
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
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

func TestDeferAfterRun(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses ts`
}

// The deferred Wait blocks TestWaitDeadlocks before the subtests, which
// only run once it returns, can call Done: it never returns.
func TestWaitDeadlocks(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait() // want `wg.Wait is deferred, but parallel subtest "a" uses wg`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		wg.Done()
	})
}

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

// Closing a file the subtest reads from.
func TestFileHandleUsedBySubtest(t *testing.T) {
	f, _ := os.Open(os.DevNull)
	defer f.Close() // want `f.Close is deferred, but parallel subtest "read" uses f`
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		f.Read(make([]byte, 1))
	})
}

type rpcServer struct{}

func (*rpcServer) Serve(ln net.Listener) error { return nil }
func (*rpcServer) Stop()                       {}

// Stopping the server closes the listener the subtests dial.
func TestServerStoppedListenerDialed(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &rpcServer{}
	go srv.Serve(ln)
	defer srv.Stop() // want `srv.Stop is deferred, but parallel subtest "dial" uses addr`
	addr := ln.Addr().String()
	t.Run("dial", func(t *testing.T) {
		t.Parallel()
		net.Dial("tcp", addr)
	})
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
