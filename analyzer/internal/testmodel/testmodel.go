// Package testmodel is the shared understanding of Go tests that every
// testraces analyzer builds on: which values are testing values, which calls
// are t.Run, t.Parallel, t.Cleanup and the FailNow family, and which code a
// call or a function value runs (a declared function, a method value, a
// function literal, or a local variable holding one).
//
// It answers syntactic and type questions only; per-function facts such as
// "this helper stops its argument's test" live in package summary, and
// "this helper calls t.Parallel on its argument" in package deferparallel.
package testmodel

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strconv"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// testingTypes are the named types of package testing whose methods act on a
// test: *T, *B and *F, the TB interface, and the unexported common type that
// the FailNow family is promoted from.
var testingTypes = map[string]bool{"T": true, "B": true, "F": true, "TB": true, "common": true}

// IsTestingType reports whether t is a testing value: *testing.T, *testing.B,
// *testing.F, testing.TB, or an interface that has every method of testing.TB
// (a project's own TB-like interface, or one embedding testing.TB).
func IsTestingType(t types.Type) bool {
	if t == nil {
		return false
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		return isTestingNamed(ptr.Elem(), "T", "B", "F")
	}
	if isTestingNamed(t, "TB") {
		return true
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return false
	}
	return embedsTB(iface)
}

// embedsTB reports whether iface has the methods that make testing.TB
// recognisable: Helper, FailNow and Cleanup, all from package testing.
func embedsTB(iface *types.Interface) bool {
	found := 0
	for m := range iface.Methods() {
		if m.Pkg() != nil && m.Pkg().Path() == "testing" {
			switch m.Name() {
			case "Helper", "FailNow", "Cleanup":
				found++
			}
		}
	}
	return found == 3
}

// isTestingNamed reports whether t is the named type testing.<one of names>.
func isTestingNamed(t types.Type, names ...string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	if obj.Pkg() == nil || obj.Pkg().Path() != "testing" {
		return false
	}
	for _, n := range names {
		if obj.Name() == n {
			return true
		}
	}
	return false
}

// TestingMethod reports whether call is a call of a method of a testing value
// (T, B, F, TB, or one promoted from them through embedding) and returns the
// receiver expression and the method.
func TestingMethod(info *types.Info, call *ast.CallExpr) (recv ast.Expr, fn *types.Func, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	selection := info.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal {
		return nil, nil, false
	}
	fn, ok = selection.Obj().(*types.Func)
	if !ok || !isTestingMethod(fn) {
		return nil, nil, false
	}
	return sel.X, fn, true
}

// IsTestingMethod reports whether fn is a method declared by package
// testing on one of the testing types (t.Log, promoted from its common).
func IsTestingMethod(fn *types.Func) bool { return fn != nil && isTestingMethod(fn) }

// isTestingMethod reports whether fn is a method declared by package testing
// on one of the testing types.
func isTestingMethod(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && testingTypes[named.Obj().Name()]
}

// RunCall reports whether call is t.Run(name, body) on a *testing.T, the
// only Run whose subtests may be parallel (sub-benchmarks never are), and
// returns t, the name and the body arguments.
func RunCall(info *types.Info, call *ast.CallExpr) (t, name, body ast.Expr, ok bool) {
	// The name first: this is asked of every call.
	if sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr); !isSel || sel.Sel.Name != "Run" || len(call.Args) != 2 {
		return nil, nil, nil, false
	}
	recv, fn, ok := TestingMethod(info, call)
	if !ok || !IsRun(fn) {
		return nil, nil, nil, false
	}
	return recv, call.Args[0], call.Args[1], true
}

// IsRun reports whether the testing method fn is (*testing.T).Run.
func IsRun(fn *types.Func) bool {
	return fn.Name() == "Run" && isTestingNamed(knowledge.Deref(fn.Signature().Recv().Type()), "T")
}

// IsBenchRun reports whether the testing method fn is (*testing.B).Run: it
// runs the sub-benchmark on a goroutine of its own, as t.Run runs a
// subtest, and waits for it.
func IsBenchRun(fn *types.Func) bool {
	return fn.Name() == "Run" && isTestingNamed(knowledge.Deref(fn.Signature().Recv().Type()), "B")
}

// CleanupCall reports whether call is t.Cleanup(f) and returns t.
func CleanupCall(info *types.Info, call *ast.CallExpr) (t ast.Expr, ok bool) {
	recv, fn, ok := TestingMethod(info, call)
	if !ok || fn.Name() != "Cleanup" {
		return nil, false
	}
	return recv, true
}

// TestFuncKind returns "Test", "Benchmark" or "Fuzz" when decl is a top-level
// test, benchmark or fuzz function of the form the go tool runs, and "" otherwise.
func TestFuncKind(info *types.Info, decl *ast.FuncDecl) string {
	if decl.Recv != nil || decl.Type.Params == nil || len(decl.Type.Params.List) != 1 {
		return ""
	}
	for _, k := range testFuncKinds {
		// The name first: most functions are not tests, and the type of
		// the parameter is read from the largest map.
		if hasTestPrefix(decl.Name.Name, k.kind) && isTestingNamed(knowledge.Deref(info.TypeOf(decl.Type.Params.List[0].Type)), k.typ) {
			return k.kind
		}
	}
	return ""
}

// testFuncKinds are the kinds of test functions and their testing types.
var testFuncKinds = []struct{ kind, typ string }{{"Test", "T"}, {"Benchmark", "B"}, {"Fuzz", "F"}}

// hasTestPrefix reports whether name is prefix followed by nothing or by a
// character that is not a lower-case letter, as the go tool requires.
func hasTestPrefix(name, prefix string) bool {
	if !strings.HasPrefix(name, prefix) {
		return false
	}
	rest := name[len(prefix):]
	return rest == "" || !('a' <= rest[0] && rest[0] <= 'z')
}

// SubtestName describes the name argument of t.Run for a message: a quoted
// string for a constant, the expression itself otherwise ("tc.name").
func SubtestName(info *types.Info, name ast.Expr) string {
	if tv, ok := info.Types[name]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return strconv.Quote(constant.StringVal(tv.Value))
	}
	return types.ExprString(name)
}

// HandlesTestingValue reports whether fn, an *ast.FuncDecl or *ast.FuncLit,
// takes a testing value as a parameter, or is a method of a type that holds
// one in a field (a suite, a test harness): a test helper wherever it is
// declared.
func HandlesTestingValue(info *types.Info, fn ast.Node) bool {
	var typ *ast.FuncType
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		typ = fn.Type
		if fn.Recv != nil && len(fn.Recv.List) == 1 && HoldsTestingValue(info.TypeOf(fn.Recv.List[0].Type)) {
			return true
		}
	case *ast.FuncLit:
		typ = fn.Type
	default:
		return false
	}
	for _, field := range typ.Params.List {
		if IsTestingType(info.TypeOf(field.Type)) {
			return true
		}
	}
	return false
}

// HoldsTestingValue reports whether t (or what it points to) is a struct
// with a field that is a testing value.
func HoldsTestingValue(t types.Type) bool {
	return t != nil && knowledge.HasFieldOf(t, IsTestingType)
}
