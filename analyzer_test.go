package testraces_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
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
	"github.com/testraces/testraces/analyzer/fixedport"
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
	for _, a := range testraces.Declared() {
		t.Run(a.Name, func(t *testing.T) {
			t.Parallel()
			wantcheck.Run(t, analysistest.TestData(), a, wantcheck.Under(pkgs, a.Name), true)
		})
	}
}

// TestGoldenFilesCompile checks what the fixes produce, as the .golden files
// record it: gofmt-clean, and type-correct when it replaces the original.
// Each package of testdata/src with a golden file is type-checked again,
// golden files in place of the files they fix, against the packages it
// imports as testdataPackages loaded them (a fix may import one the
// package did not: it is taken from anywhere in that load). Loading the
// fixed packages with the go command instead compiled net/http and its
// dependencies for their export data, for this test alone.
func TestGoldenFilesCompile(t *testing.T) {
	t.Parallel()
	src := filepath.Join(analysistest.TestData(), "src")
	goldens := map[string]bool{} // the files that have a golden file
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go.golden") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if formatted, err := format.Source(data); err != nil || !bytes.Equal(formatted, data) {
			rel, _ := filepath.Rel(src, path)
			t.Errorf("%s is not gofmt-clean (%v)", rel, err)
		}
		goldens[strings.TrimSuffix(path, ".golden")] = false
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	pkgs := loadedTestdata(t)
	loaded := loadedImporter(t)
	checked := 0
	for _, p := range pkgs {
		if !slices.ContainsFunc(p.CompiledGoFiles, func(f string) bool { _, ok := goldens[f]; return ok }) {
			continue
		}
		checked++
		checkFixedPackage(t, p, goldens, loaded)
	}
	if checked == 0 {
		t.Fatal("no package with golden files")
	}
	for f, seen := range goldens {
		if !seen {
			t.Errorf("%s.golden: no loaded package has %s", f, filepath.Base(f))
		}
	}
}

// loadedImporter imports from the testdata load and its dependencies
// (the package itself rather than a test variant where there are both),
// and stops the test for a package not in it.
func loadedImporter(t *testing.T) types.Importer {
	t.Helper()
	byPath := map[string]*types.Package{}
	packages.Visit(loadedTestdata(t), nil, func(p *packages.Package) {
		if p.Types != nil && (byPath[p.PkgPath] == nil || p.ID == p.PkgPath) {
			byPath[p.PkgPath] = p.Types
		}
	})
	return importerFunc(func(path string) (*types.Package, error) {
		if pkg := byPath[path]; pkg != nil {
			return pkg, nil
		}
		t.Errorf("%s is not among the packages of testdata/src", path)
		return nil, fmt.Errorf("%s is not loaded", path)
	})
}

// checkFixedPackage type-checks p with its golden files in place of the
// files they fix, importing what p imports or, for an import a fix adds,
// what loaded has, and marks those files seen.
func checkFixedPackage(t *testing.T, p *packages.Package, goldens map[string]bool, loaded types.Importer) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range p.CompiledGoFiles {
		read := name
		if _, ok := goldens[name]; ok {
			goldens[name] = true
			read = name + ".golden"
		}
		f, err := parser.ParseFile(fset, read, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("fixed package %s: %v", p.ID, err)
			return
		}
		files = append(files, f)
	}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if imp, ok := p.Imports[path]; ok && imp.Types != nil {
				return imp.Types, nil
			}
			return loaded.Import(path)
		}),
		Sizes: p.TypesSizes,
		Error: func(err error) { t.Errorf("fixed package %s: %v", p.ID, err) },
	}
	conf.Check(p.PkgPath, fset, files, nil)
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
// panic, and fixedport still reports what it can (aftertest and
// cleanupctx check that in their own tests). The code imports the packages
// testdata/src loaded: importing them from export data compiled net/http
// and its dependencies for this test.
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
	imp := loadedImporter(t)
	for _, a := range testraces.Analyzers() {
		t.Run(a.Name, func(t *testing.T) {
			badcode.RunImporting(t, a, src, imp)
			n := badcode.RunImporting(t, a, brokenListeners, imp)
			if a.Name == fixedport.Analyzer.Name && n == 0 {
				t.Error("no finding for http.ListenAndServe(\":8081\", nil): was the code checked at all?")
			}
		})
	}
}

// brokenListeners are fixedport's shapes with type errors: addresses
// undefined, Sprintf without its argument, a port of the wrong type, a
// helper called with too few arguments. fixedport still reports the one
// fixed port that type-checks.
const brokenListeners = `package bad

import (
	"fmt"
	"net"
	"net/http"
	"testing"
)

func TestBad(t *testing.T) {
	net.Listen("tcp", undefined)
	net.Listen()
	net.Listen("tcp", fmt.Sprintf(":%d"))
	net.Listen("tcp", fmt.Sprintf(":%d", 1, 2, 3))
	net.Listen("tcp", fmt.Sprintf(":%d%", 8080))
	http.ListenAndServe(":" + missing, nil)
	srv := &http.Server{Addr: 8080}
	srv.ListenAndServe()
	(&http.Server{nope: ":1"}).ListenAndServe()
	helper(t, ":8080")
	var x = helper
	x(t)
	go http.ListenAndServe(":8080")
	http.ListenAndServe(":8081", nil)
}

func helper(t *testing.T, addr string, more ...string) {
	net.Listen("tcp", addr + more)
}
`
