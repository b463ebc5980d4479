package deferparallel

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Data read out of a resource before the subtests start is a snapshot: the
// subtests use only the data, and the defer cannot hurt them. A value that
// names or wraps the resource is a reference: the subtests reach the
// resource through it after the defer tore it down.

// fetch returns the body the server sent: data, read by I/O.
func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestPageFetchedThenSearched(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	page := fetch(t, ts.URL)
	for _, word := range []string{"a", "b"} {
		t.Run(word, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(page, word) {
				t.Errorf("no %q", word)
			}
		})
	}
}

func TestURLTakenThenRequested(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests named by path use url`
	url := ts.URL
	for _, path := range []string{"/a", "/b"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			http.Get(url + path)
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

func TestBodyBytesRead(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("len", func(t *testing.T) {
		t.Parallel()
		if len(body) == 0 {
			t.Error("empty")
		}
	})
}

// The page, trimmed and split: still data.
func TestLinesOfFetchedPage(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	lines := strings.Split(strings.TrimSpace(fetch(t, ts.URL+"/")), "\n")
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			_ = strings.ToUpper(line)
		})
	}
}

// A closure that fetches returns data too.
func TestPageFetchedByClosure(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	get := func(path string) string {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/")
	t.Run("search", func(t *testing.T) {
		t.Parallel()
		_ = strings.Contains(page, "x")
	})
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

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// must passes on what it is given: here, a body read.
func TestBodyReadThroughMust(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	resp := must(http.Get(ts.URL))
	body := must(io.ReadAll(resp.Body))
	t.Run("len", func(t *testing.T) {
		t.Parallel()
		_ = len(body)
	})
}

// keyStore keeps its key in a file of its directory.
type keyStore struct{ dir string }

// VerifyKey reads the key: content read from a file, data.
func (s *keyStore) VerifyKey() string {
	b, err := os.ReadFile(filepath.Join(s.dir, "key"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// KeyPath names the key's file: a reference into the directory.
func (s *keyStore) KeyPath() string { return filepath.Join(s.dir, "key") }

func TestKeyReadFromRemovedDir(t *testing.T) {
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store := &keyStore{dir: dir}
	key := store.VerifyKey()
	t.Run("verify", func(t *testing.T) {
		t.Parallel()
		if key == "" {
			t.Error("no key")
		}
	})
}

func TestKeyPathOpenedBySubtest(t *testing.T) {
	dir, _ := os.MkdirTemp("", "keys")
	defer os.RemoveAll(dir) // want `os.RemoveAll is deferred, but parallel subtest "open" uses path`
	store := &keyStore{dir: dir}
	path := store.KeyPath()
	t.Run("open", func(t *testing.T) {
		t.Parallel()
		os.Open(path)
	})
}

func TestPathJoinedOpenedBySubtest(t *testing.T) {
	dir, _ := os.MkdirTemp("", "x")
	defer os.RemoveAll(dir) // want `os.RemoveAll is deferred, but parallel subtest "open" uses path`
	path := filepath.Join(dir, "k")
	t.Run("open", func(t *testing.T) {
		t.Parallel()
		os.Open(path)
	})
}

func TestGoldenReadFromRemovedDir(t *testing.T) {
	dir, _ := os.MkdirTemp("", "golden")
	defer os.RemoveAll(dir)
	want, err := os.ReadFile(filepath.Join(dir, "want"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("compare", func(t *testing.T) {
		t.Parallel()
		_ = string(want) == "x"
	})
}

type rowsDB struct{ rows []string }

func (*rowsDB) Close() error      { return nil }
func (db *rowsDB) Rows() []string { return db.rows }
func (*rowsDB) Get(string) bool   { return false }

func openRowsDB() *rowsDB { return &rowsDB{} }

func TestCountOfRows(t *testing.T) {
	db := openRowsDB()
	defer db.Close()
	rows := db.Rows()
	n := len(rows)
	t.Run("count", func(t *testing.T) {
		t.Parallel()
		_ = n > 0
	})
}

// The rows themselves are the database's own field, not data read out of
// it by I/O: a reference.
func TestRowsOfUnknownOrigin(t *testing.T) {
	db := openRowsDB()
	defer db.Close() // want `db.Close is deferred, but parallel subtest "rows" uses rows`
	rows := db.Rows()
	t.Run("rows", func(t *testing.T) {
		t.Parallel()
		_ = rows
	})
}

type repo struct{ db *rowsDB }

func newRepo(db *rowsDB) *repo { return &repo{db: db} }

func TestConstructorWrapsResource(t *testing.T) {
	db := openRowsDB()
	defer db.Close() // want `db.Close is deferred, but parallel subtest "get" uses r`
	r := newRepo(db)
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		r.db.Get("k")
	})
}

func TestURLFormattedThenRequested(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses url`
	url := fmt.Sprintf("%s/x", ts.URL)
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(url)
	})
}

func TestHostTrimmedThenDialed(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "dial" uses host`
	host := strings.TrimPrefix(ts.URL, "http://")
	t.Run("dial", func(t *testing.T) {
		t.Parallel()
		net.Dial("tcp", host)
	})
}

func TestHostPortSplitThenDialed(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close() // want `ln.Close is deferred, but parallel subtest "dial" uses host`
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	t.Run("dial", func(t *testing.T) {
		t.Parallel()
		net.Dial("tcp", net.JoinHostPort(host, port))
	})
}

// checkedURL makes a request, but returns the address it requested.
func checkedURL(t *testing.T, ts *httptest.Server) string {
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return ts.URL
}

func TestHelperReadsButReturnsURL(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "get" uses url`
	url := checkedURL(t, ts)
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(url)
	})
}

// The response is no snapshot: its body is still the connection.
func TestResponseUsedBySubtest(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but parallel subtest "read" uses resp`
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("read", func(t *testing.T) {
		t.Parallel()
		io.ReadAll(resp.Body)
	})
}

// The helper's parallel subtests use only the page it fetched from the
// server it was given.
func TestHelperSubtestsUseFetchedPage(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	searchPage(t, ts)
}

func searchPage(t *testing.T, ts *httptest.Server) {
	page := fetch(t, ts.URL)
	t.Run("search", func(t *testing.T) {
		t.Parallel()
		_ = strings.Contains(page, "x")
	})
}

// The helper's parallel subtests request the server it was given.
func TestHelperSubtestsRequestServer(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close() // want `ts.Close is deferred, but the parallel subtests started by requestPage use ts`
	requestPage(t, ts)
}

func requestPage(t *testing.T, ts *httptest.Server) {
	url := ts.URL + "/"
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(url)
	})
}
