package funcindex

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// maxTargets bounds Targets: a value given more functions than this is
// taken as unknown, as a parameter is.
const maxTargets = 16

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
func (x *Index) TargetsVia(expr ast.Expr) []Target { return x.targetsOf(expr, false) }

// MayRun returns the code that the package shows calling the function
// value expr may run, even when other values, not known, may reach it
// too: what a field of an exported type, or one a setter or a functional
// option sets, was given in the package's code. What it returns may run;
// that nothing else does is not known. Use Targets to know all.
func (x *Index) MayRun(expr ast.Expr) []Target { return x.targetsOf(expr, true) }

func (x *Index) targetsOf(expr ast.Expr, partial bool) []Target {
	if ref, ok := x.Resolve(expr); ok {
		if impls := x.Implementations(ref); impls != nil {
			return impls
		}
		return []Target{{Ref: ref}}
	}
	var out []Target
	if !x.targets(expr, nil, 0, partial, &out) {
		return nil
	}
	return out
}

// Implementations returns, for ref an interface's method bound to a value
// whose concrete types are all known (var w worker = fatal{t}; w.Do), the
// method of each of those types, bound to the same value: the code a call
// runs. It is nil for any other ref, and when the types are not known.
func (x *Index) Implementations(ref Ref) []Target {
	if ref.Func == nil || len(ref.Bound) != 1 {
		return nil
	}
	recv := ref.Func.Signature().Recv()
	if recv == nil || !types.IsInterface(recv.Type()) {
		return nil
	}
	var out []Target
	for _, t := range x.Concrete(ref.Bound[0]) {
		held := []types.Type{t}
		if f := x.embeddedInterface(t, ref.Func); f != nil {
			// The method is promoted from an interface the type embeds
			// (struct{ fataler } built with t): what that field holds runs.
			held = x.ConcreteOf(f)
		}
		if len(held) == 0 {
			return nil
		}
		for _, h := range held {
			fn, ok := MethodOf(h, ref.Func)
			if !ok || types.IsInterface(fn.Signature().Recv().Type()) {
				return nil
			}
			out = append(out, Target{Ref: Ref{Func: fn.Origin(), Bound: ref.Bound}})
		}
	}
	return out
}

// embeddedInterface returns the interface field of t, at any depth of
// embedding, that t's method of m's name is promoted from; nil when the
// method is t's own or promoted from a struct.
func (x *Index) embeddedInterface(t types.Type, m *types.Func) *types.Var {
	obj, path, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
	fn, ok := obj.(*types.Func)
	if !ok || len(path) < 2 || !types.IsInterface(fn.Signature().Recv().Type()) {
		return nil
	}
	return embeddedField(t, path[:len(path)-1])
}

// embeddedField returns the field that path, a selection's path of
// embedded fields, ends at in t; nil if it does not.
func embeddedField(t types.Type, path []int) *types.Var {
	var f *types.Var
	for _, i := range path {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return nil
		}
		f = st.Field(i)
		t = f.Type()
	}
	return f
}

// MethodOf returns t's method of m's name, which a value of t in an
// interface with m runs.
func MethodOf(t types.Type, m *types.Func) (*types.Func, bool) {
	obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
	fn, ok := obj.(*types.Func)
	return fn, ok
}

// RunOrigin returns the variable whose code calling fn runs, when fn is
// not that variable but is derived from it: an element of it (fns[i], or
// f in for _, f := range fns), a slice, array or variadic list of
// functions; or the method of the interface with one method that it, or
// its element, holds (go s.Run(), wg.Go(j.Do)). Nil otherwise. A helper
// that runs such code of its parameter runs its caller's operand, as
// RunsOf says.
func (x *Index) RunOrigin(fn ast.Expr) *types.Var {
	e := ast.Unparen(fn)
	derived := false
	if sel, ok := e.(*ast.SelectorExpr); ok {
		s := x.info.Selections[sel]
		if s == nil || s.Kind() != types.MethodVal || oneMethod(s.Recv()) == nil {
			return nil
		}
		e, derived = ast.Unparen(sel.X), true
	}
	if ix, ok := e.(*ast.IndexExpr); ok && x.isElement(ix) {
		e, derived = ast.Unparen(ix.X), true
	}
	v := x.varOf(e)
	if over := x.RangedOver(v); over != nil {
		v, derived = x.varOf(over), true
	}
	if !derived {
		return nil
	}
	return v
}

// A Run is code that a callee may run when it runs one of its operands:
// Fun, the operand or an element of it, and the code Fun holds.
type Run struct {
	Fun ast.Expr
	Target
}

// RunsOf returns what a callee may run when it runs op, given for a
// parameter of type param that is not a function (see RunOrigin): for a
// slice or array, what running each of its elements may run; for an
// interface with one method, that method of each concrete type op may
// hold, bound to op. Like Targets, it is nil unless all of it is known.
func (x *Index) RunsOf(op ast.Expr, param types.Type) []Run {
	var out []Run
	if !x.runsOf(op, param, 0, &out) {
		return nil
	}
	return out
}

func (x *Index) runsOf(op ast.Expr, param types.Type, depth int, out *[]Run) bool {
	if param == nil || depth > 2 {
		return false
	}
	var elem types.Type
	switch t := param.Underlying().(type) {
	case *types.Signature:
		targets := x.TargetsVia(op)
		for _, target := range targets {
			*out = append(*out, Run{Fun: op, Target: target})
		}
		return targets != nil
	case *types.Slice:
		elem = t.Elem()
	case *types.Array:
		elem = t.Elem()
	case *types.Interface:
		m := oneMethod(t)
		if m == nil {
			return false
		}
		impls := x.Implementations(Ref{Func: m, Bound: []ast.Expr{op}})
		for _, impl := range impls {
			*out = append(*out, Run{Fun: op, Target: impl})
		}
		return impls != nil && len(*out) <= maxTargets
	default:
		return false
	}
	return x.elements(op, depth, func(elt ast.Expr) bool { return x.runsOf(elt, elem, depth+1, out) })
}

// oneMethod returns the method of t, an interface with exactly one: the
// one that running a value of it can mean. Nil for any other type.
func oneMethod(t types.Type) *types.Func {
	it, ok := t.Underlying().(*types.Interface)
	if !ok || it.NumMethods() != 1 {
		return nil
	}
	return it.Method(0)
}

// targets appends to out what calling expr, reached through the helper
// call via (nil if none), may run; false if that is not known.
func (x *Index) targets(expr ast.Expr, via *ast.CallExpr, depth int, partial bool, out *[]Target) bool {
	return x.values(expr, via, depth, walk{limit: 4, partial: partial, settle: func(e ast.Expr, via *ast.CallExpr, _ int) (bool, bool) {
		ref, ok := x.Resolve(e)
		if !ok {
			return false, false
		}
		for _, t := range *out {
			if t.Func == ref.Func && t.Lit == ref.Lit && t.Via == via && len(t.Bound) == 0 && len(ref.Bound) == 0 {
				return true, true
			}
		}
		*out = append(*out, Target{Ref: ref, Via: via})
		return true, len(*out) <= maxTargets
	}})
}

// A leaf settles a value that reaches an expression, at depth, when it can
// (done): a function literal for Targets, a concrete type for Concrete;
// ok is false when what it settles is not known.
type leaf func(e ast.Expr, via *ast.CallExpr, depth int) (done, ok bool)

// A walk is how values follows an expression: settle at each value, to
// depth limit; partial when only the values the package shows are asked
// for, a value not known adding nothing rather than making all unknown.
type walk struct {
	settle  leaf
	limit   int
	partial bool
}

// values calls settle for each value that may reach expr, through the
// helper call via: expr itself, and when settle does not settle it, the
// values it is given as a variable, a struct field or a table element,
// and those a function of the package returns (via is then that call).
// It reports whether every value is known; beyond depth limit none is.
// A partial walk reports false only when settle does.
func (x *Index) values(expr ast.Expr, via *ast.CallExpr, depth int, w walk) bool {
	if depth > w.limit {
		return w.partial
	}
	if done, ok := w.settle(expr, via, depth); done {
		return ok
	}
	each := func(elt ast.Expr) bool { return x.values(elt, via, depth+1, w) }
	known := func(ok bool) bool { return ok || w.partial }
	switch e := ast.Unparen(expr).(type) {
	case *ast.Ident:
		v, ok := x.info.Uses[e].(*types.Var)
		if over := x.RangedOver(v); over != nil {
			return known(x.elements(over, depth, each))
		}
		if subject, ok := x.switched[v]; ok {
			return each(subject) // a clause's h holds what v held, of its type
		}
		if arg, ok := x.bound[v]; ok && len(x.assigns[v]) == 0 && !x.opaque[v] {
			return each(arg) // go func(f func()) { f() }(g): f holds g
		}
		if ok && w.partial {
			return x.passed(v, via, depth, w) && x.assigned(v, via, depth, w)
		}
		return ok && x.localValues(v) && x.assigned(v, via, depth, w)
	case *ast.UnaryExpr:
		return known(e.Op == token.ARROW && x.elements(e.X, depth, each)) // <-ch
	case *ast.IndexExpr:
		return known(x.isElement(e) && x.elements(e.X, depth, each))
	case *ast.SelectorExpr:
		sel := x.info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			return w.partial
		}
		field, ok := sel.Obj().(*types.Var)
		if ok {
			field = field.Origin() // Box[T]'s f, whatever instance is read
		}
		if ok && w.partial {
			return x.assigned(field, via, depth, w)
		}
		return ok && x.localValues(field) && x.assigned(field, via, depth, w)
	case *ast.CallExpr:
		return x.returned(e, 0, depth, w)
	case *ast.TypeAssertExpr:
		// f := v.(func()): what v holds, of the asserted type.
		return known(e.Type != nil && each(e.X))
	}
	return w.partial
}

// passed reports, for a partial walk, values for what the calls of the
// package give v, a parameter of one of its declared functions: the
// functional option that sets a field to the function it is given
// (WithHandler(h)), a setter (s.Handle(h)). Other packages' calls of an
// exported one are not known, and add nothing; nor do the calls past the
// first maxTargets, nor parameters reached past depth 2: each step reads
// every call of the package, and a partial walk may stop short.
func (x *Index) passed(v *types.Var, via *ast.CallExpr, depth int, w walk) bool {
	if v.Kind() != types.ParamVar || depth > 2 {
		return true
	}
	sites := 0
	for _, f := range x.funcs {
		i := slices.Index(f.Params, v)
		if f.Obj == nil || i < 0 {
			continue
		}
		for _, g := range x.funcs {
			for _, call := range g.Calls {
				ref, operands, ok := x.Callee(call)
				if !ok || ref.Func != f.Obj || i >= len(operands) || x.Variadic(ref) && i >= len(f.Params)-1 {
					continue
				}
				if sites++; sites > maxTargets {
					return true
				}
				if !x.values(operands[i], via, depth+1, w) {
					return false
				}
			}
		}
		return true
	}
	return true
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

// assigned reports values for each value v is given.
func (x *Index) assigned(v *types.Var, via *ast.CallExpr, depth int, w walk) bool {
	for _, a := range x.assigns[v] {
		switch {
		case a.Value == nil:
			// The zero value: calling it panics, it runs no code; a nil
			// interface holds no type.
		case a.Result < 0:
			if !x.values(a.Value, via, depth+1, w) {
				return false
			}
		case a.Result == 0 && (isReceive(a.Value) || isTypeAssert(a.Value)):
			// f, ok := <-ch: what was sent; f, ok := v.(func()): what v
			// holds.
			if !x.values(a.Value, via, depth+1, w) {
				return false
			}
		default:
			call, ok := ast.Unparen(a.Value).(*ast.CallExpr)
			if !ok && !w.partial || ok && !x.returned(call, a.Result, depth+1, w) {
				return false
			}
		}
	}
	return true
}

// returned reports values for what call returns as its result i, when
// call runs a function of the package; call is then the via of a closure
// it hands back.
func (x *Index) returned(call *ast.CallExpr, i int, depth int, w walk) bool {
	f := x.calleeFunc(call)
	if f == nil || len(f.Returns) == 0 {
		return w.partial
	}
	for _, ret := range f.Returns {
		if len(ret.Results) <= i || len(ret.Results) == 1 && i > 0 {
			if w.partial {
				continue
			}
			return false // a bare return, or return g(): not followed
		}
		if !x.values(ret.Results[i], call, depth+1, w) {
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
	return x.values(expr, nil, depth, x.concreteWalk(out))
}

// ConcreteOf is Concrete for every value the variable or field v is given
// (the interface a struct embeds, set by its composite literals).
func (x *Index) ConcreteOf(v *types.Var) []types.Type {
	var out []types.Type
	if !x.localValues(v) || !x.assigned(v, nil, 0, x.concreteWalk(&out)) {
		return nil
	}
	return out
}

// MayHold is Concrete for what may reach expr, as MayRun is for Targets:
// the concrete types of the values the package shows reaching it, also
// through the arguments its own calls pass a parameter (a constructor
// keeping what it is given in a field); a value not known adds nothing.
func (x *Index) MayHold(expr ast.Expr) []types.Type {
	var out []types.Type
	w := x.concreteWalk(&out)
	w.partial = true
	x.values(expr, nil, 0, w)
	return out
}

// concreteWalk is the walk of Concrete, adding to out the types it finds.
func (x *Index) concreteWalk(out *[]types.Type) walk {
	var settle leaf
	settle = func(e ast.Expr, via *ast.CallExpr, depth int) (bool, bool) {
		tv, recorded := x.info.Types[e]
		t := tv.Type
		if !recorded {
			t = x.info.TypeOf(e) // a name as it is declared
		}
		switch {
		case t == nil:
			return true, false
		case tv.IsNil():
			return true, true
		case !types.IsInterface(t):
			for _, seen := range *out {
				if types.Identical(seen, t) {
					return true, true
				}
			}
			*out = append(*out, t)
			return true, len(*out) <= maxTargets
		}
		switch e := ast.Unparen(e).(type) {
		case *ast.TypeAssertExpr:
			// x.(Handler) holds what x does.
			return true, e.Type != nil && x.values(e.X, via, depth+1, walk{settle: settle, limit: 6})
		case *ast.CallExpr:
			if tv := x.info.Types[e.Fun]; tv.IsType() && len(e.Args) == 1 {
				return true, x.values(e.Args[0], via, depth+1, walk{settle: settle, limit: 6}) // Handler(h)
			}
		}
		return false, false
	}
	return walk{settle: settle, limit: 6}
}

// An Imported value is the result of a call of another package's
// function, known here only by that function's facts, that may reach an
// expression. Via is the call of this package's helper that returned it,
// nil when the expression's own code made the call.
type Imported struct {
	Call *ast.CallExpr
	Via  *ast.CallExpr
}

// ImportedCalls returns the calls of other packages' functions whose
// results may reach expr, through conversions (http.HandlerFunc(h)),
// variables, struct fields, table elements and the results of the
// package's own functions. Like Targets, it is nil unless every value
// that may reach expr is known.
func (x *Index) ImportedCalls(expr ast.Expr) []Imported {
	var out []Imported
	var settle leaf
	settle = func(e ast.Expr, via *ast.CallExpr, depth int) (bool, bool) {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false, false
		}
		if tv := x.info.Types[call.Fun]; tv.IsType() && len(call.Args) == 1 {
			return true, x.values(call.Args[0], via, depth+1, walk{settle: settle, limit: 4})
		}
		ref, _, ok := x.Callee(call)
		if !ok || ref.Func == nil || x.Body(ref) != nil {
			return false, false // the package's own function: its returns
		}
		out = append(out, Imported{Call: call, Via: via})
		return true, len(out) <= maxTargets
	}
	if !x.values(expr, nil, 0, walk{settle: settle, limit: 4}) {
		return nil
	}
	return out
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

// RangedOver returns what v, the value variable of a for-range statement
// and never assigned otherwise, ranges over; nil for any other variable.
func (x *Index) RangedOver(v *types.Var) ast.Expr {
	over := x.ranged[v]
	if over == nil {
		return nil
	}
	assigns := x.assigns[v]
	if x.scanned(v) || x.scannedTable(v) {
		assigns = x.scanWhere(v, false).assigns[v] // for _, addr := range addrs: a local, not kept
	}
	if len(assigns) > 0 {
		return nil
	}
	return over
}

// Elements calls each for every element that the slice, array, map or
// channel coll may hold (the elements of the composite literals it is
// given, those appended or sent to it); it is false when an element may
// come from elsewhere, or as soon as each is.
func (x *Index) Elements(coll ast.Expr, each func(elt ast.Expr) bool) bool {
	return x.elementsOf(coll, 0, true, each)
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

// elements calls each for every element that the slice, array, map or
// channel coll may hold: the elements of the composite literals it is
// given, and those appended to it, through local variables and the
// package's own fields; what is sent on a local channel that nothing else
// is done with. It is false, as soon as each is, or when an element may
// come from elsewhere (a parameter, a call, an index assignment, a
// channel handed on).
func (x *Index) elements(coll ast.Expr, depth int, each func(elt ast.Expr) bool) bool {
	return x.elementsOf(coll, depth, false, each)
}

// elementsOf is elements; with tables, the assignments of a table of
// records or scalars, which the index does not keep, are scanned for.
func (x *Index) elementsOf(coll ast.Expr, depth int, tables bool, each func(elt ast.Expr) bool) bool {
	if depth > 4 {
		return false
	}
	if ch := x.localChan(coll); ch != nil {
		for _, value := range x.sent[ch] {
			if !each(value) {
				return false
			}
		}
		return true
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
		return x.elementsOf(base, depth+1, tables, each)
	case *ast.Ident, *ast.SelectorExpr:
		v := x.varOf(e)
		from := x
		if tables && x.scannedTable(v) {
			// A table, tests := []struct{ ... }{ ... }: found in its
			// function, or, for a package-level one, in its declaration
			// alone (a scan of every file for each would cost more than
			// the rest of the analysis).
			from = x.scanWhere(v, false)
		}
		if !from.localValues(v) || from.elemWritten[v] {
			return false
		}
		for _, a := range from.assigns[v] {
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
			if !x.elementsOf(a.Value, depth+1, tables, each) {
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
			if v, ok := sel.Obj().(*types.Var); ok {
				return v.Origin()
			}
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

// isReceive reports whether e is a receive, <-ch.
func isReceive(e ast.Expr) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	return ok && u.Op == token.ARROW
}

// isTypeAssert reports whether e asserts a type of an interface value.
func isTypeAssert(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.TypeAssertExpr)
	return ok
}

// localChan returns the channel variable e is, when it is a local
// variable of functions or interfaces whose every use is a send, a
// receive, a range or close, len or cap: what is sent on it in the
// package is all it carries. A channel handed to a function, assigned,
// returned or kept in a field may carry what others send.
func (x *Index) localChan(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := x.info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Kind() != types.LocalVar || v.Parent() == nil {
		return nil
	}
	if ch, ok := v.Type().Underlying().(*types.Chan); !ok || !holdsCode(ch.Elem()) {
		return nil
	}
	decl := x.DeclarationOf(v)
	if decl == nil {
		return nil
	}
	onlyChannelUses := true
	var stack []ast.Node
	ast.Inspect(decl, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, ok := n.(*ast.Ident); ok && x.info.Uses[id] == v && !x.channelUse(id, stack[len(stack)-1]) {
			onlyChannelUses = false
		}
		stack = append(stack, n)
		return onlyChannelUses
	})
	if !onlyChannelUses {
		return nil
	}
	return v
}

// channelUse reports whether id, under parent, is used as a channel
// only: sent on, received from, ranged over, closed or measured.
func (x *Index) channelUse(id *ast.Ident, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.SendStmt:
		return p.Chan == id
	case *ast.UnaryExpr:
		return p.Op == token.ARROW
	case *ast.RangeStmt:
		return p.X == id
	case *ast.CallExpr:
		if fn, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if b, ok := x.info.Uses[fn].(*types.Builtin); ok {
				switch b.Name() {
				case "close", "len", "cap":
					return true
				}
			}
		}
	}
	return false
}

// DeclarationOf returns the top-level declaration of the package whose
// extent holds v's: the function declaring a local variable, the
// declaration of a package-level one; nil for a variable of another
// package.
func (x *Index) DeclarationOf(v *types.Var) ast.Decl {
	for _, file := range x.files {
		if file.FileStart > v.Pos() || v.Pos() > file.FileEnd {
			continue
		}
		for _, decl := range file.Decls {
			if decl.Pos() <= v.Pos() && v.Pos() < decl.End() {
				return decl
			}
		}
	}
	return nil
}
