package knowledge

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestDataTablesNameFunctions checks that every entry of the readers and
// pure tables names a function or method of its package, so that a typo
// does not silently stop a snapshot being recognised.
func TestDataTablesNameFunctions(t *testing.T) {
	var paths []string
	for _, table := range []map[string]map[string]bool{readers, pure} {
		for path := range table {
			paths = append(paths, path)
		}
	}
	for path := range pureAll {
		paths = append(paths, path)
	}
	pkgs := loadTypes(t, paths...)
	for _, table := range []map[string]map[string]bool{readers, pure} {
		for path, names := range table {
			pkg := pkgs[path]
			if pkg == nil {
				continue
			}
			for name := range names {
				typ, method, isMethod := strings.Cut(name, ".")
				obj := pkg.Scope().Lookup(typ)
				if isMethod && obj != nil {
					recv := obj.Type()
					if !types.IsInterface(recv) {
						recv = types.NewPointer(recv)
					}
					obj, _, _ = types.LookupFieldOrMethod(recv, true, pkg, method)
				}
				fn, _ := obj.(*types.Func)
				if fn == nil {
					t.Errorf("%s.%s is no function or method", path, name)
					continue
				}
				if ReadsData(fn) == KeepsData(fn) {
					t.Errorf("%s.%s: ReadsData = KeepsData = %v", path, name, ReadsData(fn))
				}
			}
		}
	}
}

// LoadTypes is loadTypes for the package's external tests.
var LoadTypes = loadTypes

// loadTypes returns the types of the packages paths, by path, from
// stdTypes; a package it does not have is an error of the test.
func loadTypes(t *testing.T, paths ...string) map[string]*types.Package {
	t.Helper()
	all, err := stdTypes()
	if err != nil {
		t.Fatal(err)
	}
	pkgs := make(map[string]*types.Package)
	for _, path := range paths {
		if pkgs[path] = all[path]; pkgs[path] == nil {
			t.Errorf("package %s not loaded", path)
		}
	}
	return pkgs
}

// stdTypes loads once, for the package's tests, the packages whose
// functions the tables and tests name, type-checked from source with
// every dependency: loading them from export data made the go command
// compile net/http and its dependencies without -race for these tests
// alone.
var stdTypes = sync.OnceValues(func() (map[string]*types.Package, error) {
	paths := []string{"bufio", "context", "fmt", "io", "log", "log/slog", "net", "net/http", "os", "path/filepath", "strings", "sync", "testing", "time"}
	for _, table := range []map[string]map[string]bool{readers, pure} {
		for path := range table {
			paths = append(paths, path)
		}
	}
	for path := range pureAll {
		paths = append(paths, path)
	}
	for path := range derivations {
		paths = append(paths, path)
	}
	for path := range listenAddresses {
		if IsStd(path) {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	loaded, err := packages.Load(&packages.Config{
		Mode:      packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedImports | packages.NeedDeps,
		ParseFile: parseDeclarations,
	}, slices.Compact(paths)...)
	if err != nil {
		return nil, err
	}
	all := make(map[string]*types.Package)
	var errs []error
	packages.Visit(loaded, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			// Without the bodies, imports only they use are unused.
			if e.Kind == packages.TypeError && strings.HasSuffix(e.Msg, "and not used") {
				continue
			}
			errs = append(errs, e)
		}
		all[p.PkgPath] = p.Types
	})
	return all, errors.Join(errs...)
})

// parseDeclarations parses a file with each function's body replaced by
// panic(0): the tables name functions, types and methods, whose
// declarations are all the tests read, and type-checking the bodies of
// net/http and its dependencies was most of what this package's tests
// cost under -race. (A body there must be: generic functions and init
// have to have one, and one that ends in panic needs no return.)
func parseDeclarations(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if f != nil {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
				panicCall := &ast.CallExpr{Fun: &ast.Ident{NamePos: fn.Body.Lbrace, Name: "panic"}, Args: []ast.Expr{&ast.BasicLit{ValuePos: fn.Body.Lbrace, Kind: token.INT, Value: "0"}}}
				fn.Body.List = []ast.Stmt{&ast.ExprStmt{X: panicCall}}
			}
		}
	}
	return f, err
}
