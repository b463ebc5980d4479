package testmodel

import (
	"go/ast"
	"go/types"
)

// IsFailNowName reports whether name is one of the methods that end the
// calling goroutine with runtime.Goexit, the FailNow family: FailNow and
// the Fatal methods that call it, SkipNow and the Skip methods that call
// it. It is the quick test before the types are looked at.
func IsFailNowName(name string) bool {
	// A switch, not a map: every method call's name is asked.
	switch name {
	case "FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf":
		return true
	}
	return false
}

// FailNowCall reports whether call is of the FailNow family on a testing
// value: t.Fatal and its family on a *testing.T, B, F or TB, or on
// any interface with a FailNow method (testify's TestingT, a project's own
// TB-like interface). It returns the testing value and the method.
func FailNowCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, name string, ok bool) {
	x, fn, iface := failNowFamilyCall(info, call)
	if fn == nil {
		return nil, "", false
	}
	if isTestingMethod(fn) || iface != nil && HasFailNow(iface) {
		return x, fn.Name(), true
	}
	return nil, "", false
}

// HeldFailNowCall reports whether call is of the FailNow family through
// an interface that declares the method as testing.TB does but has no
// FailNow (type fataler interface{ Fatalf(string, ...any) }), and returns
// the interface value and the method. Such an interface is as often given
// a *log.Logger, whose Fatalf exits the process, as a *testing.T: the call
// stops a test only where the value holds a testing value, which the
// caller decides.
func HeldFailNowCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, name string, ok bool) {
	x, fn, iface := failNowFamilyCall(info, call)
	if iface == nil || HasFailNow(iface) || !testingSignature(fn) {
		return nil, "", false
	}
	return x, fn.Name(), true
}

// failNowFamilyCall returns, for a method call named as one of the
// FailNow family, the value it is called on, the method, and the
// interface the value is of, if it is one (nil fn otherwise).
func failNowFamilyCall(info *types.Info, call *ast.CallExpr) (x ast.Expr, fn *types.Func, iface *types.Interface) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !IsFailNowName(sel.Sel.Name) {
		return nil, nil, nil
	}
	selection := info.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal {
		return nil, nil, nil
	}
	fn, _ = selection.Obj().(*types.Func)
	if fn == nil {
		return nil, nil, nil
	}
	iface, _ = selection.Recv().Underlying().(*types.Interface)
	return sel.X, fn, iface
}

// DeclaresFailNowFamily reports whether iface has a method of the FailNow
// family with testing.TB's signature (see HeldFailNowCall).
func DeclaresFailNowFamily(iface *types.Interface) bool {
	for m := range iface.Methods() {
		if IsFailNowName(m.Name()) && testingSignature(m) {
			return true
		}
	}
	return false
}

// testingSignature reports whether fn, of the FailNow family by its name,
// has the signature testing.TB gives that name: FailNow(), Fatal(args
// ...any), Fatalf(format string, args ...any).
func testingSignature(fn *types.Func) bool {
	sig := fn.Signature()
	params := sig.Params()
	if sig.Results().Len() != 0 {
		return false
	}
	switch fn.Name() {
	case "FailNow", "SkipNow":
		return params.Len() == 0
	case "Fatal", "Skip":
		return params.Len() == 1 && sig.Variadic() && isAnySlice(params.At(0).Type())
	case "Fatalf", "Skipf":
		if params.Len() != 2 || !sig.Variadic() || !isAnySlice(params.At(1).Type()) {
			return false
		}
		b, ok := params.At(0).Type().Underlying().(*types.Basic)
		return ok && b.Kind() == types.String
	}
	return false
}

// isAnySlice reports whether t is []any.
func isAnySlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	iface, ok := s.Elem().Underlying().(*types.Interface)
	return ok && iface.Empty()
}

// IsFailNowMethod reports whether fn is a method of package testing of
// the FailNow family (for method values such as f := t.Fatal).
func IsFailNowMethod(fn *types.Func) bool {
	return fn != nil && IsFailNowName(fn.Name()) && isTestingMethod(fn)
}

// isTestingLike reports whether t is a testing value or an interface with
// a FailNow method (testify's TestingT).
func isTestingLike(t types.Type) bool {
	if t == nil {
		return false
	}
	if IsTestingType(t) {
		return true
	}
	iface, ok := t.Underlying().(*types.Interface)
	return ok && HasFailNow(iface)
}

// HasFailNow reports whether iface has testing.TB's FailNow: a testing
// abstraction, not a logger.
func HasFailNow(iface *types.Interface) bool {
	for m := range iface.Methods() {
		if m.Name() == "FailNow" && m.Signature().Params().Len() == 0 {
			return true
		}
	}
	return false
}
