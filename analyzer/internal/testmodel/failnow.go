package testmodel

import (
	"go/ast"
	"go/types"
)

// stoppers are the methods that stop the calling goroutine with
// runtime.Goexit: the FailNow family (FailNow, Fatal, Fatalf) and the
// SkipNow family (SkipNow, Skip, Skipf).
var stoppers = map[string]bool{
	"FailNow": true, "Fatal": true, "Fatalf": true,
	"SkipNow": true, "Skip": true, "Skipf": true,
}

// StopCall reports whether call stops the calling goroutine through a
// testing value: t.Fatal and its family on a *testing.T, B, F or TB, or on
// any interface with a FailNow method (testify's TestingT, a project's own
// TB-like interface). It returns the testing value and the method.
func StopCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, name string, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !stoppers[sel.Sel.Name] {
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

// IsStopMethod reports whether fn is a method of package testing that
// stops the calling goroutine (for method values such as f := t.Fatal).
func IsStopMethod(fn *types.Func) bool {
	return fn != nil && stoppers[fn.Name()] && isTestingMethod(fn)
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

// Root returns the variable a testing value is reached from: t for t,
// h.t, s.T(), s.Require(), testing.TB(t); nil if there is none.
func Root(info *types.Info, expr ast.Expr) *types.Var {
	for range 16 {
		switch e := ast.Unparen(expr).(type) {
		case *ast.Ident:
			v, _ := info.Uses[e].(*types.Var)
			return v
		case *ast.SelectorExpr:
			if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
				expr = e.X
				continue
			}
			v, _ := info.Uses[e.Sel].(*types.Var) // pkg.v
			return v
		case *ast.StarExpr:
			expr = e.X
		case *ast.CallExpr:
			if tv, ok := info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
				expr = e.Args[0] // conversion
				continue
			}
			// A wrapper of a testing value: require.New(t).
			if len(e.Args) > 0 && isTestingLike(info.TypeOf(e.Args[0])) {
				expr = e.Args[0]
				continue
			}
			// An accessor: s.T(), s.Require().
			sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
			if !ok || len(e.Args) != 0 || info.Selections[sel] == nil {
				return nil
			}
			expr = sel.X
		default:
			return nil
		}
	}
	return nil
}
