package knowledge

import (
	"go/types"
	"strings"
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

// loadTypes loads the types of the packages paths, by path; a package
// that does not load is an error of the test.
func loadTypes(t *testing.T, paths ...string) map[string]*types.Package {
	t.Helper()
	loaded, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	pkgs := make(map[string]*types.Package)
	for _, p := range loaded {
		if len(p.Errors) > 0 {
			t.Errorf("%s: %v", p.PkgPath, p.Errors)
		}
		pkgs[p.PkgPath] = p.Types
	}
	for _, path := range paths {
		if pkgs[path] == nil {
			t.Errorf("package %s not loaded", path)
		}
	}
	return pkgs
}
