package testmodel

import (
	"go/ast"
	"go/types"
)

// failNowMethods are the methods that end the calling goroutine with
// runtime.Goexit, the FailNow family: FailNow and the Fatal methods that
// call it, SkipNow and the Skip methods that call it.
var failNowMethods = map[string]bool{
	"FailNow": true, "Fatal": true, "Fatalf": true,
	"SkipNow": true, "Skip": true, "Skipf": true,
}

// FailNowCall reports whether call is of the FailNow family on a testing
// value: t.Fatal and its family on a *testing.T, B, F or TB, or on
// any interface with a FailNow method (testify's TestingT, a project's own
// TB-like interface). It returns the testing value and the method.
func FailNowCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, name string, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !failNowMethods[sel.Sel.Name] {
		return nil, "", false
	}
	selection := info.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal {
		return nil, "", false
	}
	fn, _ := selection.Obj().(*types.Func)
	if fn == nil {
		return nil, "", false
	}
	if isTestingMethod(fn) {
		return sel.X, fn.Name(), true
	}
	if iface, ok := selection.Recv().Underlying().(*types.Interface); ok && hasFailNow(iface) {
		return sel.X, fn.Name(), true
	}
	return nil, "", false
}

// IsFailNowMethod reports whether fn is a method of package testing of
// the FailNow family (for method values such as f := t.Fatal).
func IsFailNowMethod(fn *types.Func) bool {
	return fn != nil && failNowMethods[fn.Name()] && isTestingMethod(fn)
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
	return ok && hasFailNow(iface)
}

func hasFailNow(iface *types.Interface) bool {
	for m := range iface.Methods() {
		if m.Name() == "FailNow" && m.Signature().Params().Len() == 0 {
			return true
		}
	}
	return false
}
