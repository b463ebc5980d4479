package knowledge

import (
	"go/types"
	"testing"
)

// TestDerivationsNameFunctions checks that every entry of the derivations
// table names a function of its package whose result is the context it
// says, and, when it cancels, whose second result is a function: a typo
// would silently stop a cancelled context being recognised.
func TestDerivationsNameFunctions(t *testing.T) {
	var paths []string
	for path := range derivations {
		paths = append(paths, path)
	}
	pkgs := loadTypes(t, paths...)
	for path, names := range derivations {
		pkg := pkgs[path]
		if pkg == nil {
			continue
		}
		for name, d := range names {
			fn, _ := pkg.Scope().Lookup(name).(*types.Func)
			if fn == nil {
				t.Errorf("%s.%s is no function", path, name)
				continue
			}
			results := fn.Signature().Results()
			if d.result >= results.Len() || !IsContext(results.At(d.result).Type()) {
				t.Errorf("%s.%s: result %d is no context.Context", path, name, d.result)
			}
			if d.cancels && (results.Len() != 2 || !isFunc(results.At(1).Type())) {
				t.Errorf("%s.%s: second result is no cancel function", path, name)
			}
			if got, ok := DerivedContext(fn); !ok || got != d.result || CancelsDerived(fn) != d.cancels {
				t.Errorf("%s.%s: DerivedContext = %d, %v; CancelsDerived = %v", path, name, got, ok, CancelsDerived(fn))
			}
		}
	}
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

func TestContextReaders(t *testing.T) {
	pkgs := loadTypes(t, "context", "log/slog", "net/http")
	lookup := func(path, name string) *types.Func {
		if pkgs[path] == nil {
			t.FailNow()
		}
		fn, _ := pkgs[path].Scope().Lookup(name).(*types.Func)
		if fn == nil {
			t.Fatalf("no function %s.%s", path, name)
		}
		return fn
	}
	for _, c := range []struct {
		path, name string
		reads      bool
	}{
		{"context", "Cause", true},
		{"context", "WithoutCancel", true},
		{"log/slog", "InfoContext", true},
		{"net/http", "NewRequestWithContext", false},
	} {
		if got := ReadsContextValues(lookup(c.path, c.name)); got != c.reads {
			t.Errorf("ReadsContextValues(%s.%s) = %v, want %v", c.path, c.name, got, c.reads)
		}
	}
	if _, ok := DerivedContext(lookup("context", "WithoutCancel")); ok {
		t.Error("context.WithoutCancel derives a context that its parent's cancellation does not reach")
	}
	ctx := pkgs["context"].Scope().Lookup("Context").Type()
	if !IsContext(ctx) || IsContext(types.NewPointer(ctx)) || IsContext(nil) {
		t.Error("IsContext is wrong about context.Context, *context.Context or nil")
	}
}
