package deferparallel

import (
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

// The testing package's own pattern: the group subtest returns only after
// its parallel subtests finish, so the defer runs after them.
func TestGroupedParallelSubtests(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("group", func(t *testing.T) {
		t.Run("a", func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL)
		})
	})
}

func TestSubtestsNotParallel(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("a", func(t *testing.T) {
		http.Get(ts.URL)
	})
}

func TestNoSubtests(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	http.Get(ts.URL)
}

func TestDeferTouchesNothingShared(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	defer func() { recover() }()
	defer log.Print("done")
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestUnlockOfLockTheSubtestsTake(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		mu.Lock()
		mu.Unlock()
	})
}

func TestReleasesWhatSubtestsWaitFor(t *testing.T) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Add(1)
	defer wg.Done()
	defer close(start)
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		<-start
		wg.Wait()
	})
}

func TestLogsSharedValue(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer log.Printf("served at %s", ts.URL)
	defer t.Logf("served at %s", ts.URL)
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestOtherServerUsed(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		http.Get(ts.URL)
	})
}

func TestSharedErrorVariableIsNoResource(t *testing.T) {
	f, err := os.CreateTemp("", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "d")
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = dir
		_ = err
	})
}

func TestUsedOnlyBeforeParallel(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("a", func(t *testing.T) {
		url := ts.URL
		t.Parallel()
		_ = url
	})
}

func TestFileDerivedFromSharedPath(t *testing.T) {
	path := os.TempDir() + "/x"
	f, _ := os.Create(path)
	defer f.Close()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		os.ReadFile(path)
	})
}

func BenchmarkSubBenchmarks(b *testing.B) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	b.Run("get", func(b *testing.B) {
		for range b.N {
			http.Get(ts.URL)
		}
	})
}

func TestParallelOnParentNotSubtest(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	t.Run("a", func(st *testing.T) {
		_ = st
		http.Get(ts.URL)
	})
	t.Parallel()
}

func TestDeferInCalledLiteralWithoutParallelSubtests(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	done := make(chan bool)
	func() {
		defer close(done)
	}()
	t.Run("a", func(t *testing.T) {
		http.Get(ts.URL)
	})
}

// The defers run only when -update is set, and the subtests are parallel
// only when it is not: never in the same run.
func TestDeferOnlyWhenSubtestsAreNotParallel(t *testing.T) {
	path := os.TempDir() + "/golden"
	if *update {
		defer os.Remove(path)
	}
	runGolden(t, path)
}

func runGolden(t *testing.T, path string) {
	t.Run("golden", func(t *testing.T) {
		if !*update {
			t.Parallel()
		}
		os.ReadFile(path)
	})
}

// Closing a file leaves its name usable.
func TestFileClosedButNameUsed(t *testing.T) {
	f, _ := os.CreateTemp("", "x")
	defer f.Close()
	name := f.Name()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		os.ReadFile(name)
	})
}

// The defer runs only in -short runs, the subtests are parallel only in
// the others.
func TestDeferOnlyInShortRuns(t *testing.T) {
	path := os.TempDir() + "/short"
	if testing.Short() {
		defer os.Remove(path)
	}
	t.Run("long", func(t *testing.T) {
		if !testing.Short() {
			t.Parallel()
		}
		os.ReadFile(path)
	})
}

// The closure's parallel subtests use only what the test passes it.
func TestClosureSubtestsUseOtherServer(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	get := func(url string) {
		t.Run("get", func(t *testing.T) {
			t.Parallel()
			http.Get(url)
		})
	}
	get(ts.URL)
}
