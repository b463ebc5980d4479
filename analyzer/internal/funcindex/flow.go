package funcindex

import (
	"go/ast"
	"go/types"
	"strings"
)

// maxTargets bounds Targets: a value given more functions than this is
// taken as unknown, as a parameter is.
const maxTargets = 8

// Targets returns the code that calling the function value expr may run:
// each function value that reaches expr through variables, struct fields
// (composite literals and assignments anywhere in the package), and the
// results of the package's own functions (a closure a helper hands back).
// It is nil unless every value that may reach expr is known: a parameter,
// a value from another package, or a variable whose address is taken may
// hold anything.
func (x *Index) Targets(expr ast.Expr) []Ref {
	var refs []Ref
	for _, t := range x.TargetsVia(expr) {
		refs = append(refs, t.Ref)
	}
	return refs
}

// A Target is code that a call may run and, for a closure that a helper
// handed back, the call of that helper (the last one, when helpers hand
// back what other helpers return): the closure's free variables that are
// the helper's parameters stand for that call's arguments, and its other
// free variables of the helper for values of that call alone.
type Target struct {
	Ref
	Via *ast.CallExpr
}

// TargetsVia is Targets, saying which helper handed each closure back.
func (x *Index) TargetsVia(expr ast.Expr) []Target {
	if ref, ok := x.Resolve(expr); ok {
		return []Target{{Ref: ref}}
	}
	var out []Target
	if !x.targets(expr, nil, 0, &out) {
		return nil
	}
	return out
}

// targets appends to out what calling expr, reached through the helper
// call via (nil if none), may run; false if that is not known.
func (x *Index) targets(expr ast.Expr, via *ast.CallExpr, depth int, out *[]Target) bool {
	if depth > 4 {
		return false
	}
	if ref, ok := x.Resolve(expr); ok {
		for _, t := range *out {
			if t.Func == ref.Func && t.Lit == ref.Lit && t.Via == via && len(t.Bound) == 0 && len(ref.Bound) == 0 {
				return true
			}
		}
		*out = append(*out, Target{Ref: ref, Via: via})
		return len(*out) <= maxTargets
	}
	switch e := ast.Unparen(expr).(type) {
	case *ast.Ident:
		v, ok := x.info.Uses[e].(*types.Var)
		return ok && x.localValues(v) && x.assignedTargets(v, via, depth, out)
	case *ast.SelectorExpr:
		sel := x.info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			return false
		}
		field, ok := sel.Obj().(*types.Var)
		return ok && x.localValues(field) && x.assignedTargets(field, via, depth, out)
	case *ast.CallExpr:
		return x.returnedTargets(e, 0, depth, out)
	}
	return false
}

// localValues reports whether every value v is given is in this package's
// code: a local or package-level variable of the package, or a field of
// one of its types, never given values in ways Assignments does not show.
// A parameter's values come from its callers.
func (x *Index) localValues(v *types.Var) bool {
	if v == nil || x.opaque[v] || v.Pkg() == nil || len(x.assigns[v]) == 0 {
		return false
	}
	switch v.Kind() {
	case types.ParamVar, types.RecvVar, types.ResultVar:
		return false
	}
	// The package's own code is all there is of it: its fields and
	// variables are set nowhere else, but an exported one may be set by
	// the packages that import it, unless a test file declares it.
	if v.Pkg() != x.pkg {
		return false
	}
	if v.Exported() && (v.IsField() || v.Parent() == v.Pkg().Scope()) {
		f := x.fset.File(v.Pos())
		return f != nil && strings.HasSuffix(f.Name(), "_test.go")
	}
	return true
}

// assignedTargets appends what the values v is given may run.
func (x *Index) assignedTargets(v *types.Var, via *ast.CallExpr, depth int, out *[]Target) bool {
	for _, a := range x.assigns[v] {
		switch {
		case a.Value == nil:
			// The zero value: calling it panics, it runs no code.
		case a.Result < 0:
			if !x.targets(a.Value, via, depth+1, out) {
				return false
			}
		default:
			call, ok := ast.Unparen(a.Value).(*ast.CallExpr)
			if !ok || !x.returnedTargets(call, a.Result, depth+1, out) {
				return false
			}
		}
	}
	return true
}

// returnedTargets appends what the function value that call returns as
// its result i may run, when call runs a function of the package.
func (x *Index) returnedTargets(call *ast.CallExpr, i int, depth int, out *[]Target) bool {
	f := x.calleeFunc(call)
	if f == nil || len(f.Returns) == 0 {
		return false
	}
	for _, ret := range f.Returns {
		if len(ret.Results) <= i || len(ret.Results) == 1 && i > 0 {
			return false // a bare return, or return g(): not followed
		}
		if !x.targets(ret.Results[i], call, depth+1, out) {
			return false
		}
	}
	return true
}

// Concrete returns the concrete types whose values expr may hold: its own
// type when that is no interface; else the types of every value that
// reaches it through conversions, variables, struct fields and the
// results of the package's own functions (a handler built as &mock{t: t}
// and kept in an http.Handler). Like Targets, it is nil unless every value
// that may reach expr is known; nil interface values add nothing.
func (x *Index) Concrete(expr ast.Expr) []types.Type {
	var out []types.Type
	if !x.concrete(expr, 0, &out) {
		return nil
	}
	return out
}

func (x *Index) concrete(expr ast.Expr, depth int, out *[]types.Type) bool {
	if depth > 6 {
		return false
	}
	t := x.info.TypeOf(expr)
	if t == nil {
		return false
	}
	if tv := x.info.Types[expr]; tv.IsNil() {
		return true
	}
	if !types.IsInterface(t) {
		for _, seen := range *out {
			if types.Identical(seen, t) {
				return true
			}
		}
		*out = append(*out, t)
		return len(*out) <= maxTargets
	}
	switch e := ast.Unparen(expr).(type) {
	case *ast.Ident:
		v, ok := x.info.Uses[e].(*types.Var)
		return ok && x.localValues(v) && x.assignedConcrete(v, depth, out)
	case *ast.SelectorExpr:
		sel := x.info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			return false
		}
		field, ok := sel.Obj().(*types.Var)
		return ok && x.localValues(field) && x.assignedConcrete(field, depth, out)
	case *ast.TypeAssertExpr:
		return e.Type != nil && x.concrete(e.X, depth+1, out) // x.(Handler) holds what x does
	case *ast.CallExpr:
		if tv := x.info.Types[e.Fun]; tv.IsType() && len(e.Args) == 1 {
			return x.concrete(e.Args[0], depth+1, out) // Handler(h)
		}
		return x.returnedConcrete(e, 0, depth, out)
	}
	return false
}

// assignedConcrete appends the concrete types of the values v is given.
func (x *Index) assignedConcrete(v *types.Var, depth int, out *[]types.Type) bool {
	for _, a := range x.assigns[v] {
		switch {
		case a.Value == nil: // the nil interface
		case a.Result < 0:
			if !x.concrete(a.Value, depth+1, out) {
				return false
			}
		default:
			call, ok := ast.Unparen(a.Value).(*ast.CallExpr)
			if !ok || !x.returnedConcrete(call, a.Result, depth+1, out) {
				return false
			}
		}
	}
	return true
}

// returnedConcrete appends the concrete types of what call returns as its
// result i, when call runs a function of the package.
func (x *Index) returnedConcrete(call *ast.CallExpr, i int, depth int, out *[]types.Type) bool {
	f := x.calleeFunc(call)
	if f == nil || len(f.Returns) == 0 {
		return false
	}
	for _, ret := range f.Returns {
		if len(ret.Results) <= i || len(ret.Results) == 1 && i > 0 {
			return false
		}
		if !x.concrete(ret.Results[i], depth+1, out) {
			return false
		}
	}
	return true
}

// calleeFunc returns the function of the package that call runs, or nil.
func (x *Index) calleeFunc(call *ast.CallExpr) *Func {
	ref, _, ok := x.Callee(call)
	switch {
	case !ok:
		return nil
	case ref.Lit != nil:
		return x.byNode[ref.Lit]
	}
	return x.FuncOf(ref.Func)
}
