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
		if over := x.rangedOver(v); over != nil {
			return x.elements(over, depth, func(elt ast.Expr) bool { return x.targets(elt, via, depth+1, out) })
		}
		return ok && x.localValues(v) && x.assignedTargets(v, via, depth, out)
	case *ast.IndexExpr:
		if !x.isElement(e) {
			return false
		}
		return x.elements(e.X, depth, func(elt ast.Expr) bool { return x.targets(elt, via, depth+1, out) })
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
		if over := x.rangedOver(v); over != nil {
			return x.elements(over, depth, func(elt ast.Expr) bool { return x.concrete(elt, depth+1, out) })
		}
		return ok && x.localValues(v) && x.assignedConcrete(v, depth, out)
	case *ast.IndexExpr:
		if !x.isElement(e) {
			return false
		}
		return x.elements(e.X, depth, func(elt ast.Expr) bool { return x.concrete(elt, depth+1, out) })
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

// rangedOver returns what v, the value variable of a for-range statement
// and never assigned otherwise, ranges over; nil for any other variable.
func (x *Index) rangedOver(v *types.Var) ast.Expr {
	if v == nil || len(x.assigns[v]) > 0 {
		return nil
	}
	return x.ranged[v]
}

// isElement reports whether e indexes a slice, array or map (not a
// generic function's instantiation).
func (x *Index) isElement(e *ast.IndexExpr) bool {
	t := x.info.TypeOf(e.X)
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return isCollection(t)
}

// elements calls each for every element that the slice, array or map
// coll may hold: the elements of the composite literals it is given, and
// those appended to it, through local variables and the package's own
// fields. It is false, as soon as each is, or when an element may come
// from elsewhere (a parameter, a call, an index assignment).
func (x *Index) elements(coll ast.Expr, depth int, each func(elt ast.Expr) bool) bool {
	if depth > 4 {
		return false
	}
	switch e := ast.Unparen(coll).(type) {
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if isCollection(x.info.TypeOf(elt)) {
				return false // {a, b} of a [][]func(): not followed
			}
			if !each(elt) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		// append(fs, f, g): what fs holds, and f and g.
		base, elems, ok := x.appendOf(e)
		if !ok {
			return false
		}
		for _, elt := range elems {
			if !each(elt) {
				return false
			}
		}
		return x.elements(base, depth+1, each)
	case *ast.Ident, *ast.SelectorExpr:
		v := x.varOf(e)
		if !x.localValues(v) || x.elemWritten[v] {
			return false
		}
		for _, a := range x.assigns[v] {
			if a.Value == nil {
				continue // the nil slice or map: no element
			}
			if a.Result >= 0 {
				return false
			}
			// fs = append(fs, f) reads fs again: only its new elements.
			if base, elems, ok := x.appendOf(a.Value); ok && x.varOf(base) == v {
				for _, elt := range elems {
					if !each(elt) {
						return false
					}
				}
				continue
			}
			if !x.elements(a.Value, depth+1, each) {
				return false
			}
		}
		return true
	}
	return false
}

// varOf returns the variable or field e denotes, or nil.
func (x *Index) varOf(e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := x.info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		if sel := x.info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			v, _ := sel.Obj().(*types.Var)
			return v
		}
	}
	return nil
}

// appendOf returns, for append(base, elems...), base and elems.
func (x *Index) appendOf(e ast.Expr) (base ast.Expr, elems []ast.Expr, ok bool) {
	call, isCall := ast.Unparen(e).(*ast.CallExpr)
	if !isCall || len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return nil, nil, false
	}
	id, isIdent := ast.Unparen(call.Fun).(*ast.Ident)
	if !isIdent {
		return nil, nil, false
	}
	if b, isBuiltin := x.info.Uses[id].(*types.Builtin); !isBuiltin || b.Name() != "append" {
		return nil, nil, false
	}
	return call.Args[0], call.Args[1:], true
}

// isCollection reports whether t is a slice, array or map type.
func isCollection(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
		return true
	}
	return false
}
