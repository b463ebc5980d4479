package testraces_test

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces"
	"github.com/testraces/testraces/analyzer/failnow"
	"github.com/testraces/testraces/analyzer/serverready"
	"github.com/testraces/testraces/internal/badcode"
	"github.com/testraces/testraces/internal/wantcheck"
)

// testdataPackages are the packages of testdata/src, loaded once for the
// tests that check analyzers on them: each load type-checks the standard
// library they import from source, which under the race detector costs
// more than all the analyzers' runs together.
var testdataPackages = sync.OnceValues(func() ([]*packages.Package, error) {
	return wantcheck.Load(analysistest.TestData(), "./...")
})

// loadedTestdata returns testdataPackages, or stops the test.
func loadedTestdata(t *testing.T) []*packages.Package {
	t.Helper()
	pkgs, err := testdataPackages()
	if err != nil {
		t.Fatalf("loading testdata: %v", err)
	}
	return pkgs
}

// TestAnalyzers runs every analyzer over its testdata packages, checking
// its diagnostics and facts against the // want comments and its fixes
// against the .golden files.
func TestAnalyzers(t *testing.T) {
	t.Parallel()
	pkgs := loadedTestdata(t)
	for _, a := range testraces.Analyzers() {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			wantcheck.Run(t, analysistest.TestData(), a, wantcheck.Under(pkgs, a.Name), true)
		})
	}
}

// TestGoldenFilesCompile checks what the fixes produce, as the .golden files
// record it: gofmt-clean, and type-correct when it replaces the original.
func TestGoldenFilesCompile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the fixed testdata packages with the go command; skipped under -short")
	}
	gopath := t.TempDir()
	src := filepath.Join(analysistest.TestData(), "src")
	var fixed []string // package directories that have golden files
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(gopath, "src", rel)
		if strings.HasSuffix(path, ".go.golden") {
			if formatted, err := format.Source(data); err != nil || !bytes.Equal(formatted, data) {
				t.Errorf("%s is not gofmt-clean (%v)", rel, err)
			}
			dst = strings.TrimSuffix(dst, ".golden")
			fixed = append(fixed, filepath.Dir(rel))
		} else if _, err := os.Stat(path + ".golden"); err == nil {
			return nil // the golden file stands in for it
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(fixed)
	fixed = slices.Compact(fixed)
	cfg := &packages.Config{
		Mode:  packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:   filepath.Join(gopath, "src"),
		Env:   append(os.Environ(), "GOPATH="+gopath, "GO111MODULE=off", "GOFLAGS="),
		Tests: true,
	}
	pkgs, err := packages.Load(cfg, fixed...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatal("no packages loaded")
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("fixed package %s: %v", p.PkgPath, e)
		}
	})
}

// TestSeed runs failnow and serverready together over the test that the
// project was created from (testdata/src/seed): a composable Run that
// listens on a goroutine of its own, a helper that re-binds a closed
// test server's address and calls t.Fatalf on that goroutine, and a
// subtest whose request comes first.
func TestSeed(t *testing.T) {
	t.Parallel()
	both := &analysis.Analyzer{
		Name:      "seed",
		Doc:       "failnow and serverready together",
		Requires:  serverready.Analyzer.Requires,
		FactTypes: serverready.Analyzer.FactTypes,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, a := range []*analysis.Analyzer{failnow.Analyzer, serverready.Analyzer} {
				if _, err := a.Run(pass); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
	}
	wantcheck.Run(t, analysistest.TestData(), both, wantcheck.Under(loadedTestdata(t), "seed"), false)
}

// TestBrokenCode runs every analyzer over code with type errors in the
// shapes each looks at, as gopls runs analyzers despite errors: none may
// panic. (aftertest, cleanupctx and fixedport also check, in their own
// tests, that they still report what they can.)
func TestBrokenCode(t *testing.T) {
	t.Parallel()
	const src = `package bad

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestBroken(t *testing.T) {
	ts := httptest.NewServer(undefinedHandler)
	defer ts.Close()
	for _, tc := range missingCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL + tc.path)
		})
	}
	go func() { t.Fatal(undefined) }()
	go nope(t)
	srv := &http.Server{Addr: 8080, Handler: h}
	go srv.ListenAndServe()
	http.Get("http://" + srv.Addr)
	ln, _ := net.Listen("tcp")
	ln.Close()
	go http.ListenAndServe(ln.Addr().String(), nil)
	ctx, cancel := context.WithCancel(t.Context(), 1)
	defer cancel()
	t.Cleanup(func() { use(ctx); t.Log(missing) })
	var f func(*testing.T) = helper
	go f(t)
	handlers := []http.Handler{&h{t: t}, nil, undefinedType{}}
	for _, hh := range handlers {
		go http.Serve(ln, hh)
	}
}

type h struct{ t *testing.T }

func (x *h) ServeHTTP(w http.ResponseWriter) { x.t.FailNow() }

func helper(t *testing.T, extra ...int) undefinedType {
	t.Parallel()
	go func() { t.Errorf("%d", extra) }()
	return
}
`
	for _, a := range testraces.Analyzers() {
		t.Run(a.Name, func(t *testing.T) {
			badcode.Run(t, a, src)
		})
	}
}
