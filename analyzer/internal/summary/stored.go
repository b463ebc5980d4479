package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
	"golang.org/x/tools/go/analysis"
)

// Callbacks that a library stores and runs later: fiber's app.Get(path, h)
// keeps h in its routes and app.Test(req) runs it from a goroutine it
// starts; nats' Subscribe(subj, cb) keeps cb and runs it from the
// subscription's goroutine. A callback is told apart from others by its
// kind: its named function type (fiber.Handler, nats.MsgHandler), or, for
// an unnamed function type, that type in the package that stores or calls
// it. Three facts follow a kind through any depth of calls:
//
//   - Stores: the function keeps a callback operand in state that outlives
//     the call (a field, a map, a slice of routes, a package variable, a
//     channel), itself or through what it calls;
//   - CallsStored: the function calls callbacks of a kind out of such
//     state, on the calling goroutine (s.Handler(ctx), route.Handlers[i](c));
//   - RunsStored: the function runs callbacks of a kind on a goroutine it
//     starts (go s.ServeConn(c), where ServeConn calls s.Handler).
//
// And a value stored under one kind that calls callbacks of another ties
// the two: fiber sets fasthttp's Server.Handler to its router, which calls
// the routes' handlers, so running fasthttp's RequestHandler runs
// fiber.Handler.

// A Stored says that a function keeps its operand Operand (and, for a
// variadic parameter, those after it) as a callback of kind Kind, in the
// state of its operand Into (-1: elsewhere, such as a package variable or
// a goroutine it starts). Into tells whose callbacks a later call runs:
// RegisterGreeterServer(s, impl) keeps impl in s, and s.Serve(ln) runs it.
type Stored struct {
	Operand int
	Kind    string
	Into    int
}

// IntoResult is the Into of a value kept in what the function returns: a
// constructor, NewServer(h), returns a server holding h, and the server's
// methods run it.
const IntoResult = knowledge.IntoResult

// callbackKind returns the kind of callback that values of type t are, or
// "" if t is none: a named function type; an unnamed one only within pkg;
// a named interface whose methods a server may run (see isCallbackIface).
func callbackKind(t types.Type, pkg *types.Package) string {
	if t == nil {
		return ""
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		if named.Obj().Pkg() == nil {
			return ""
		}
		if _, isFunc := named.Underlying().(*types.Signature); isFunc || isCallbackIface(named) {
			return named.Obj().Pkg().Path() + "." + named.Obj().Name()
		}
		return ""
	}
	if sig, ok := types.Unalias(t).(*types.Signature); ok && pkg != nil {
		// An unnamed function type, or an alias of one
		// (type Handler = func(Ctx) error, as fiber declares it),
		// whatever its parameters are named: a config's
		// OnMessage func(msg string) error is a func(string) error.
		return pkg.Path() + ":" + types.TypeString(unnamedParams(sig), nil)
	}
	return ""
}

// unnamedParams returns sig without the names of its parameters and
// results.
func unnamedParams(sig *types.Signature) *types.Signature {
	strip := func(tuple *types.Tuple) *types.Tuple {
		vars := make([]*types.Var, tuple.Len())
		for i := range vars {
			vars[i] = types.NewParam(token.NoPos, nil, "", tuple.At(i).Type())
		}
		return types.NewTuple(vars...)
	}
	return types.NewSignatureType(nil, nil, nil, strip(sig.Params()), strip(sig.Results()), sig.Variadic())
}

// isCallbackIface reports whether values of the named type t, an
// interface, are callbacks whose methods the code that keeps them may run
// later (an http.Handler, a gRPC service, a message consumer): a
// non-generic interface with methods, declared outside the standard
// library unless knowledge says so.
func isCallbackIface(t *types.Named) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 || t.TypeParams().Len() > 0 {
		return false
	}
	return !knowledge.IsStd(t.Obj().Pkg().Path()) || knowledge.CallbackInterface(t)
}

// isIfaceKind reports whether kind is an interface's: the values it keeps
// are run through their methods.
func isIfaceKind(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && types.IsInterface(named) && isCallbackIface(named)
}

// kindOf is callbackKind in the package being summarised, computed once
// per type while the summary pass runs. Interfaces are kinds only in
// packages outside the standard library: its servers' handlers are
// known by name (knowledge.HandlerArg), and following every interface
// of it costs more than it finds.
func (r *Result) kindOf(t types.Type) string {
	if t == nil {
		return ""
	}
	if k, ok := r.kindNames[t]; ok {
		return k
	}
	k := callbackKind(t, r.pkg)
	if k != "" && r.std && isIfaceKind(t) {
		k = ""
	}
	if r.memo != nil {
		r.memo.kindNames[t] = k
	}
	return k
}

// kindsIn returns the kinds of callback that a value of type t holds: its
// own, or those of its elements and fields, through pointers, slices,
// maps, channels and structs (a variadic ...Handler, a *Route with
// Handlers). Computed once per type, and only while the summary pass
// runs.
func (r *Result) kindsIn(t types.Type) []string {
	if t == nil {
		return nil
	}
	if kinds, ok := r.kinds[t]; ok || r.memo == nil {
		return kinds // after the pass, what it computed; no more
	}
	r.memo.kinds[t] = nil // a recursive type holds what its other parts hold
	var kinds []string
	if k := r.kindOf(t); k != "" {
		kinds = []string{k}
	} else {
		switch u := t.Underlying().(type) {
		case *types.Pointer:
			kinds = r.kindsIn(u.Elem())
		case *types.Slice:
			kinds = r.kindsIn(u.Elem())
		case *types.Array:
			kinds = r.kindsIn(u.Elem())
		case *types.Map:
			kinds = r.kindsIn(u.Elem())
		case *types.Chan:
			kinds = r.kindsIn(u.Elem())
		case *types.Struct:
			// Through fields, only callback types spelled by a name (a
			// route's Handlers []Handler, a subscription's MsgHandler):
			// not the bare func types of every options struct's hooks (a
			// Request's GetBody).
			// Bare function fields count too (a client's Options.Dialer),
			// but not those of the standard library's structs: their
			// hooks are many (a Request's GetBody, a Transport's dialers)
			// and following them all cost more than the rest of the
			// kinds together.
			std := isStdType(t)
			for field := range u.Fields() {
				if _, bare := elemOf(field.Type()).(*types.Signature); bare && std {
					continue
				}
				kinds = addKinds(kinds, r.kindsIn(field.Type()))
			}
		}
	}
	r.memo.kinds[t] = kinds
	return kinds
}

// isStdType reports whether t is a named type of the standard library.
func isStdType(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && knowledge.IsStd(named.Obj().Pkg().Path())
}

// elemOf returns the type that t's pointers, slices, arrays, maps and
// channels hold, as spelled: a named type or an alias stays one.
func elemOf(t types.Type) types.Type {
	for range 8 {
		switch x := t.(type) {
		case *types.Pointer:
			t = x.Elem()
		case *types.Slice:
			t = x.Elem()
		case *types.Array:
			t = x.Elem()
		case *types.Map:
			t = x.Elem()
		case *types.Chan:
			t = x.Elem()
		default:
			return t
		}
	}
	return t
}

// canHold reports whether a parameter of type t may carry callbacks of
// kind: its type holds them, or it takes anything. A server built from
// a handler and a context's cancel func keeps the handler as a handler
// only.
func (r *Result) canHold(t types.Type, kind string) bool {
	return isAny(t) || slices.Contains(r.kindsIn(t), kind) || types.IsInterface(t) && knowledge.KeepsAnyValue(kind) || r.implementsKind(t, kind)
}

// implementsKind reports whether values of t, a named type, are of kind,
// an interface's, through their methods: an http.HandlerFunc is an
// http.Handler, kept and run as one.
func (r *Result) implementsKind(t types.Type, kind string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	dot := strings.LastIndexByte(kind, '.')
	if !ok || named.Obj().Pkg() == nil || dot < 0 || strings.ContainsRune(kind, ':') {
		return false
	}
	path, name := kind[:dot], kind[dot+1:]
	pkg := named.Obj().Pkg()
	if pkg.Path() != path {
		i := slices.IndexFunc(r.pkg.Imports(), func(p *types.Package) bool { return p.Path() == path })
		if i < 0 {
			return false
		}
		pkg = r.pkg.Imports()[i]
	}
	obj, _ := pkg.Scope().Lookup(name).(*types.TypeName)
	if obj == nil {
		return false
	}
	iface, ok := obj.Type().Underlying().(*types.Interface)
	return ok && !types.IsInterface(named) && types.Implements(named, iface)
}

// convertsToKind reports whether e converts a value to a type of kind
// (dns.HandlerFunc(f), kept as a dns.Handler): a parameter of a plain
// function type converted so is kept as that kind.
func (r *Result) convertsToKind(e ast.Expr, kind string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	tv, ok := r.info.Types[call.Fun]
	return ok && tv.IsType() && r.implementsKind(tv.Type, kind)
}

// isLit reports whether e is a function literal, or a variable holding
// one: a callback that wraps the callbacks it calls (a log handler that
// calls the test's hook, nats' internalHandler calling the consumer's),
// so keeping it keeps them, whatever their kind.
func (r *Result) isLit(e ast.Expr) bool {
	ref, ok := r.Index.Resolve(e)
	return ok && ref.Lit != nil
}

// isAny reports whether t is an empty interface or a slice of them, as
// fiber's app.Get(path, handler any, handlers ...any) takes handlers.
func isAny(t types.Type) bool {
	if sl, ok := t.Underlying().(*types.Slice); ok {
		t = sl.Elem()
	}
	iface, ok := t.Underlying().(*types.Interface)
	return ok && iface.Empty()
}

// takesCallbacks reports whether a parameter of type t may carry
// callbacks into a function: its type holds some (kindsIn), or it is an
// empty interface or a slice of them, which fiber's app.Get(path,
// handler any, handlers ...any) converts to handlers.
func (r *Result) takesCallbacks(t types.Type) bool {
	if testmodel.IsTestingType(t) {
		return false // a test's own hooks (its context's cancel) are no callbacks of ours
	}
	return len(r.kindsIn(t)) > 0 || isAny(t)
}

// storedCalls returns the kinds of callbacks that body calls out of state:
// calls of a function value that is not a parameter of the function (a
// field, an element, a local variable read from one).
func (r *Result) storedCalls(body *ast.BlockStmt, params []*types.Var) []string {
	info := r.info
	var kinds []string
	for _, call := range r.Index.Calls(body) {
		// Resolved first: most calls are, and the map of every
		// expression's type is the slowest to read.
		if ref, ok := r.Index.Resolve(call.Fun); ok {
			// s.handler.ServeHTTP(w, req): a method of a kept interface
			// value, not the caller's own.
			if k := r.ifaceCallKind(ref, params); k != "" {
				if _, typed := info.Types[call.Fun]; typed {
					kinds = addKind(kinds, k)
				}
			}
			continue
		}
		tv, ok := info.Types[call.Fun]
		if !ok || tv.IsType() || tv.IsBuiltin() || r.Index.GoOf(call) != nil {
			continue // go handler(x): runs it (runsStoredOnGoroutine)
		}
		if k := r.stateKind(call.Fun, tv.Type, params); k != "" {
			kinds = addKind(kinds, k)
		}
	}
	return kinds
}

// stateKind returns the kind of fun, a function value of type t that
// does not resolve, when it is read from state (a field, a kept slice's
// element); empty for one of params, the caller's own callback, which
// Async, CallsFree and Calls follow instead.
func (r *Result) stateKind(fun ast.Expr, t types.Type, params []*types.Var) string {
	if v := testmodel.VarOf(r.info, fun); v != nil && slices.Contains(params, v) {
		return ""
	}
	return r.kindOf(t)
}

func (r *Result) resolved(fun ast.Expr) bool {
	_, ok := r.Index.Resolve(fun)
	return ok
}

// runsStoredOnGoroutine returns the kinds of the callbacks that go
// statement g runs out of state (go handler(x) with handler read from a
// field, go h(msg) for each h of a kept slice, or a literal started with
// such a value that it calls): function values that are no parameters of
// the function and that nothing resolves.
func (r *Result) runsStoredOnGoroutine(g *ast.GoStmt, params []*types.Var) []string {
	var kinds []string
	stored := func(fun ast.Expr) {
		if k := r.stateKind(fun, r.info.TypeOf(fun), params); k != "" {
			kinds = addKind(kinds, k)
		}
	}
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok {
		if !r.resolved(g.Call.Fun) && r.fromSetField(g.Call.Fun, 0) {
			stored(g.Call.Fun)
		}
		return kinds
	}
	// go func(f func()) { f() }(f): the argument runs there.
	called := make(map[*types.Var]bool)
	for _, call := range r.Index.Calls(lit.Body) {
		if v := testmodel.VarOf(r.info, call.Fun); v != nil {
			called[v] = true
		}
	}
	for i, p := range r.Index.Params(funcindex.Ref{Lit: lit}) {
		if called[p] && i < len(g.Call.Args) && !r.resolved(g.Call.Args[i]) && r.fromSetField(g.Call.Args[i], 0) {
			stored(g.Call.Args[i])
		}
	}
	return kinds
}

// fromSetField reports whether e, a function value, is read from a field
// (or an element of one) that a function of the package sets from its
// parameter: pc.OnTrack(f) setting pc.onTrack, r.AddHandler(h) appending
// to r.handlers. A field that only composite literals fill is not a
// callback kept by a method but one of a table's (nats' testParams.jobs
// beside testParams.expect, of the same type): which one runs is not told
// by its kind.
func (r *Result) fromSetField(e ast.Expr, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := r.info.Uses[x].(*types.Var)
		if v == nil {
			return false
		}
		if over := r.Index.RangedOver(v); over != nil {
			return r.fromSetField(over, depth+1)
		}
		if def := r.Index.Def(v); def != nil {
			return r.fromSetField(def, depth+1)
		}
	case *ast.IndexExpr:
		return r.fromSetField(x.X, depth+1)
	case *ast.SelectorExpr:
		if sel := r.info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
			field, _ := sel.Obj().(*types.Var)
			return r.setFromParam(field)
		}
	}
	return false
}

// setFromParam reports whether field is given, somewhere in the package,
// a parameter of the function that gives it (f.h = h, f.hs = append(f.hs,
// h)).
func (r *Result) setFromParam(field *types.Var) bool {
	for _, a := range r.Index.Assignments(field) {
		values := []ast.Expr{a.Value}
		if call, ok := ast.Unparen(a.Value).(*ast.CallExpr); ok {
			values = call.Args // append(f.hs, h)
		}
		for _, v := range values {
			if p := testmodel.VarOf(r.info, v); p != nil && p.Kind() == types.ParamVar {
				return true
			}
		}
	}
	return false
}

// ifaceCallKind returns the kind of the interface whose method ref is,
// called on its bound receiver, when that receiver is no parameter of the
// calling function; else "".
func (r *Result) ifaceCallKind(ref funcindex.Ref, params []*types.Var) string {
	if ref.Func == nil || len(ref.Bound) == 0 {
		return ""
	}
	operands := ref.Bound
	recv := ref.Func.Signature().Recv()
	if recv == nil || !types.IsInterface(recv.Type()) {
		return ""
	}
	if v := testmodel.VarOf(r.info, operands[0]); v != nil && slices.Contains(params, v) {
		return ""
	}
	return r.kindOf(r.info.TypeOf(operands[0]))
}

// addKind adds k to kinds, a sorted set.
func addKind(kinds []string, k string) []string {
	i, found := slices.BinarySearch(kinds, k)
	if found {
		return kinds
	}
	return slices.Insert(kinds, i, k)
}

// addKinds adds ks to kinds.
func addKinds(kinds []string, ks []string) []string {
	for _, k := range ks {
		kinds = addKind(kinds, k)
	}
	return kinds
}

// stores computes which of the function's callback parameters it keeps in
// state: a parameter, or a local value built from it (append(hs, h),
// Route{Handlers: hs}), assigned to anything but a local variable, sent on
// a channel, or handed to a function that stores it there.
func (r *Result) stores(f *function, s *Summary) {
	if f.flow == nil {
		f.flow = r.followCallbacks(f)
	}
	fl := f.flow
	for _, st := range fl.kept {
		s.addStored(st)
	}
	if len(fl.origins) == 0 {
		return
	}
	for _, site := range r.Sites(f.Body) {
		if site.Go != nil || !site.Resolved {
			continue
		}
		stores := r.Effect(site.Ref).Stores
		if len(stores) == 0 {
			continue
		}
		kept := r.Index.Params(site.Ref)
		for _, st := range stores {
			for _, op := range r.KeptOperands(site, st) {
				from := fl.from(r.info, op)
				for i, p := range f.Params {
					if from.Has(i) && r.keptAs(p, op, kept, st) {
						s.addStored(Stored{Operand: i, Kind: st.Kind, Into: paramAt(r.info, f.Params, site.Operands, st.Into)})
					}
				}
			}
		}
	}
}

// keptAs reports whether p, a parameter whose value reaches op, an operand
// that a callee with parameters kept keeps as st says, is kept as st's
// kind: p's type can hold one, op is a literal or converts p's value to
// a type of the kind (dns.HandlerFunc(handler)), or p is of the very type
// of the callee's parameter, which the callee converts itself.
func (r *Result) keptAs(p *types.Var, op ast.Expr, kept []*types.Var, st Stored) bool {
	return r.canHold(p.Type(), st.Kind) || r.isLit(op) || r.convertsToKind(op, st.Kind) ||
		st.Operand < len(kept) && types.Identical(p.Type(), kept[st.Operand].Type())
}

// KeptOperands returns the operands of the call at site that st says the
// callee keeps: operand st.Operand, or, for its variadic parameter, every
// operand from there on.
func (r *Result) KeptOperands(site Site, st Stored) []ast.Expr {
	if st.Operand >= len(site.Operands) {
		return nil
	}
	ops := site.Operands[st.Operand : st.Operand+1]
	if r.Index.Variadic(site.Ref) && st.Operand == len(r.Index.Params(site.Ref))-1 {
		ops = site.Operands[st.Operand:]
	}
	var out []ast.Expr
	for _, op := range ops {
		out = append(out, r.callbacksIn(op, st.Kind, 0)...)
	}
	return out
}

// KeptMethods returns the methods that the keeper at site may call on op,
// a value it keeps as an interface (an http.Handler, a gRPC service, a
// store): those of the interface it takes op as, on each concrete type
// that may be in op, that this package declares.
func (r *Result) KeptMethods(site Site, op ast.Expr, st Stored) []*types.Func {
	iface := r.keptInterface(site, op, st)
	if iface == nil {
		return nil
	}
	var out []*types.Func
	for _, t := range r.Index.Concrete(op) {
		for m := range iface.Methods() {
			obj, _, _ := types.LookupFieldOrMethod(t, true, r.pkg, m.Name())
			if fn, ok := obj.(*types.Func); ok && r.Index.Decl(fn.Origin()) != nil {
				out = append(out, fn.Origin())
			}
		}
	}
	return out
}

// keptInterface returns the interface that the keeper at site takes op
// as: the type of its parameter, or of op itself, when that is an
// interface with methods; nil for an empty one, whose methods the keeper
// cannot call without knowing more than we do.
func (r *Result) keptInterface(site Site, op ast.Expr, st Stored) *types.Interface {
	types_ := []types.Type{r.info.TypeOf(op)}
	if t := r.heldAsKind(site, op, st); t != nil {
		types_ = append(types_, t)
	}
	if params := r.Index.Params(site.Ref); st.Operand < len(params) {
		t := params[st.Operand].Type()
		if r.Index.Variadic(site.Ref) && st.Operand == len(params)-1 {
			if sl, ok := t.(*types.Slice); ok {
				t = sl.Elem()
			}
		}
		types_ = append([]types.Type{t}, types_...)
	}
	for _, t := range types_ {
		if t == nil {
			continue
		}
		if iface, ok := t.Underlying().(*types.Interface); ok && iface.NumMethods() > 0 {
			return iface
		}
	}
	return nil
}

// heldAsKind returns the interface of st's kind when op is a value that
// an operand of site holds in a field of that type, and op implements
// it: &dns.Server{Handler: h} kept by its own ListenAndServe holds h as
// a dns.Handler. Nil for an operand itself, which its parameter's type
// tells.
func (r *Result) heldAsKind(site Site, op ast.Expr, st Stored) types.Type {
	if slices.Contains(site.Operands, op) {
		return nil
	}
	t := r.kindType(st.Kind)
	if t == nil || !types.IsInterface(t) {
		return nil
	}
	iface := t.Underlying().(*types.Interface)
	if ot := r.info.TypeOf(op); ot == nil || !types.Implements(ot, iface) && !types.Implements(types.NewPointer(ot), iface) {
		return nil
	}
	return t
}

// kindType returns the named type that kind names (callbackKind), looked
// up among the packages this one imports, directly or not; nil for an
// unnamed function type's kind, or one out of sight.
func (r *Result) kindType(kind string) types.Type {
	dot := strings.LastIndex(kind, ".")
	if dot < 0 || strings.Contains(kind, ":") {
		return nil
	}
	path, name := kind[:dot], kind[dot+1:]
	seen := make(map[*types.Package]bool)
	var find func(pkg *types.Package) types.Type
	find = func(pkg *types.Package) types.Type {
		if seen[pkg] {
			return nil
		}
		seen[pkg] = true
		if pkg.Path() == path {
			if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok {
				return tn.Type()
			}
			return nil
		}
		for _, imp := range pkg.Imports() {
			if t := find(imp); t != nil {
				return t
			}
		}
		return nil
	}
	return find(r.pkg)
}

// HeldCallbacks returns the callbacks that op, a value whose method m a
// server runs, holds in its fields and m calls: kitlike.Server{Before: f,
// Handle: g}, served, runs f and g, which its ServeHTTP calls, for each
// request.
func (r *Result) HeldCallbacks(op ast.Expr, m *types.Func) []ast.Expr {
	var out []ast.Expr
	for _, kind := range r.heldKinds(m) {
		for _, cb := range r.callbacksIn(op, kind, 0) {
			if cb != op && !slices.Contains(out, cb) {
				out = append(out, cb)
			}
		}
	}
	return out
}

// CallsHeld reports whether m calls callbacks of type t that it finds in
// state, such as its receiver's fields: t is of a kind m calls or runs.
func (r *Result) CallsHeld(m *types.Func, t types.Type) bool {
	return slices.ContainsFunc(r.heldKinds(m), func(kind string) bool { return isKind(t, kind) })
}

// heldKinds returns the kinds of kept callbacks that m calls or runs.
func (r *Result) heldKinds(m *types.Func) []string {
	e := r.Effect(funcindex.Ref{Func: m})
	return slices.Concat(e.CallsStored, e.RunsStored)
}

// MayRunHeld reports whether site's callee runs, on goroutines of its
// own, callbacks that values hold: the quick test before RunsHeld, which
// most calls fail.
func (r *Result) MayRunHeld(site Site) bool {
	return len(r.Effect(site.Ref).RunsStored) > 0
}

// RunsHeld returns the callbacks that op, an operand whose method site's
// callee runs on a goroutine (start(&Server{Handler: h}) with go
// srv.serveOnce(l) inside), holds in its fields and that the callee runs
// there: those of the kinds it runs on goroutines.
func (r *Result) RunsHeld(site Site, op ast.Expr) []ast.Expr {
	if !r.MayRunHeld(site) {
		return nil // most callees run nothing held: no operand to look at
	}
	kinds := r.Effect(site.Ref).RunsStored
	t := r.info.TypeOf(op)
	if !isStructOrPointer(t) || r.Index.Literal(op) == nil {
		return nil // a string, a number, a value not built here
	}
	var out []ast.Expr
	for _, kind := range kinds {
		if !holdsKindShape(t, kind, 0) {
			continue
		}
		for _, cb := range r.callbacksIn(op, kind, 0) {
			if cb != op && !slices.Contains(out, cb) {
				out = append(out, cb)
			}
		}
	}
	return out
}

// isStructOrPointer reports whether t is a struct or points to one.
func isStructOrPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// callbacksIn returns the callbacks of kind that op holds: op itself, or,
// for a struct built where the call is made (Options{Dialer: dial}, a
// variable holding one), the values of its fields of that kind.
func (r *Result) callbacksIn(op ast.Expr, kind string, depth int) []ast.Expr {
	lit := r.Index.Literal(op)
	if lit == nil || depth > 2 {
		return []ast.Expr{op}
	}
	var out []ast.Expr
	// part adds value, of type t, when it is a callback of kind, or the
	// callbacks it holds.
	part := func(t types.Type, value ast.Expr) {
		switch {
		case isKind(t, kind):
			out = append(out, value)
		case r.holdsKind(t, kind):
			out = append(out, r.callbacksIn(value, kind, depth+1)...)
		}
	}
	if elem := elementType(r.info.TypeOf(lit)); elem != nil {
		// []func(string) error{h1, h2}, a config's list of handlers.
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			part(elem, elt)
		}
	} else if st, isStruct := r.info.TypeOf(lit).Underlying().(*types.Struct); isStruct {
		for i, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				key, _ := kv.Key.(*ast.Ident)
				if field, _ := r.info.Uses[key].(*types.Var); field != nil {
					part(field.Type(), kv.Value)
				}
			} else if i < st.NumFields() {
				part(st.Field(i).Type(), elt) // Options{dial, 3}: every field, in order
			}
		}
	}
	if len(out) == 0 {
		return []ast.Expr{op} // &handler{t: t}: the value itself, kept as an interface
	}
	return out
}

// holdsKind reports whether values of type t hold callbacks of kind: as
// kindsIn says, or, by the shape of t, in its elements or fields, for an
// unnamed function type with the same signature whichever package names
// the kind (lib:func(string) error where the library declares its
// config; the test's package, after the summary pass, computes no kinds).
func (r *Result) holdsKind(t types.Type, kind string) bool {
	return slices.Contains(r.kindsIn(t), kind) || holdsKindShape(t, kind, 0)
}

func holdsKindShape(t types.Type, kind string, depth int) bool {
	if t == nil || depth > 3 {
		return false
	}
	if isKind(t, kind) {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return holdsKindShape(u.Elem(), kind, depth+1)
	case *types.Slice:
		return holdsKindShape(u.Elem(), kind, depth+1)
	case *types.Array:
		return holdsKindShape(u.Elem(), kind, depth+1)
	case *types.Map:
		return holdsKindShape(u.Elem(), kind, depth+1)
	case *types.Struct:
		for field := range u.Fields() {
			if holdsKindShape(field.Type(), kind, depth+1) {
				return true
			}
		}
	}
	return false
}

// elementType returns the element type of a slice or array type, or nil.
func elementType(t types.Type) types.Type {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return u.Elem()
	case *types.Array:
		return u.Elem()
	}
	return nil
}

// isKind reports whether values of type t, as a field declares it, are
// callbacks of kind: its named function type, or, for an unnamed one, the
// same signature in the package the kind belongs to.
func isKind(t types.Type, kind string) bool {
	if k := callbackKind(t, nil); k != "" {
		return k == kind
	}
	sig, ok := types.Unalias(t).(*types.Signature)
	_, spelled, found := strings.Cut(kind, ":")
	return ok && found && spelled == types.TypeString(unnamedParams(sig), nil)
}

// A flow is what a function's own assignments do with its callback
// parameters, which the fixed point need not compute again: the local
// values built from each, and what it keeps in state itself.
type flow struct {
	origins map[*types.Var]Bits // parameters and the local values built from them
	kept    []Stored
}

// from returns the parameters whose values e is built from.
func (fl *flow) from(info *types.Info, e ast.Expr) Bits {
	var b Bits
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				b |= fl.origins[v]
			}
		}
		return true
	})
	return b
}

// heldBy returns the variable whose value e is, or is held in or bound
// to: app for app, app.handler and the method value app.serve.
func heldBy(info *types.Info, e ast.Expr) *types.Var {
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			e = sel.X
		}
	}
	return testmodel.RootVar(info, e)
}

// paramAt returns the index in params of the parameter that operand into
// of a call with operands stands for, or -1.
func paramAt(info *types.Info, params []*types.Var, operands []ast.Expr, into int) int {
	if into < 0 || into >= len(operands) {
		return -1
	}
	return slices.Index(params, testmodel.RootVar(info, operands[into]))
}

// followCallbacks computes f's flow.
func (r *Result) followCallbacks(f *function) *flow {
	info := r.info
	fl := &flow{origins: make(map[*types.Var]Bits)}
	for i, p := range f.Params {
		if r.takesCallbacks(p.Type()) {
			fl.origins[p] = bit(i)
		}
	}
	// keep records that the function keeps value, built from the
	// parameters in b: as callbacks of the kinds the value's type holds
	// (a handler converted out of an any), else of the parameter's.
	keep := func(b Bits, value ast.Expr, into int) {
		var kinds []string // of the value, when it is a callback or a slice of them
		if t := info.TypeOf(value); t != nil {
			if k := r.kindOf(elemOf(t)); k != "" {
				kinds = []string{k}
			}
		}
		for i, p := range f.Params {
			if !b.Has(i) {
				continue
			}
			ks := kinds
			switch {
			case len(ks) == 0:
				ks = r.kindsIn(p.Type())
			case !r.canHold(p.Type(), ks[0]) && !r.isLit(value):
				// A cancel func stored next to a handler, in a struct
				// built from both: the handler is not kept as one.
				continue
			}
			for _, k := range ks {
				if st := (Stored{Operand: i, Kind: k, Into: into}); !slices.Contains(fl.kept, st) {
					fl.kept = append(fl.kept, st)
				}
			}
		}
	}
	// Assignments in source order, twice, so that a value built before
	// it is stored is followed.
	for range 2 {
		for _, n := range r.flows[f.Body] {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					rhs := n.Rhs[min(i, len(n.Rhs)-1)]
					b := fl.from(info, rhs)
					if b == 0 {
						continue
					}
					root := testmodel.RootVar(info, lhs)
					if root != nil && !testmodel.IsPackageLevel(root) && !slices.Contains(f.Params, root) {
						fl.origins[root] |= b // v = h, v.f = h, v[i] = h: a local value built from h
						continue
					}
					if root != nil {
						b &^= fl.origins[root] // s.hooks = append(s.hooks, h) keeps h in s, not s
					}
					keep(b, rhs, slices.Index(f.Params, root))
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) {
						if b := fl.from(info, n.Values[i]); b != 0 {
							if v, ok := info.Defs[name].(*types.Var); ok && !testmodel.IsPackageLevel(v) {
								fl.origins[v] |= b
							} else {
								keep(b, n.Values[i], -1)
							}
						}
					}
				}
			case *ast.SendStmt:
				keep(fl.from(info, n.Value), n.Value, slices.Index(f.Params, testmodel.RootVar(info, n.Chan)))
			case *ast.RangeStmt:
				// for _, h := range handlers: h is built from handlers.
				if b := fl.from(info, n.X); b != 0 {
					for _, e := range []ast.Expr{n.Key, n.Value} {
						if v := testmodel.VarOf(info, e); e != nil && v != nil && !testmodel.IsPackageLevel(v) {
							fl.origins[v] |= b
						}
					}
				}
			case *ast.TypeSwitchStmt:
				// switch h := handler.(type) { case Handler: ... }: each
				// clause's h is built from handler.
				as, ok := n.Assign.(*ast.AssignStmt)
				if !ok || len(as.Rhs) != 1 {
					continue
				}
				b := fl.from(info, as.Rhs[0])
				for _, clause := range n.Body.List {
					if v, ok := info.Implicits[clause].(*types.Var); ok && b != 0 {
						fl.origins[v] |= b
					}
				}
			}
		}
	}
	// A value built from a callback and returned, in a type that holds
	// callbacks (a *Server with its handler), is kept in the result; a
	// parameter handed back, or what it holds (return app, for chained
	// calls; return app.handler), is not kept by the call.
	for _, ret := range f.Returns {
		for _, res := range ret.Results {
			if slices.Contains(f.Params, heldBy(info, res)) {
				continue
			}
			if b := fl.from(info, res); b != 0 && len(r.kindsIn(info.TypeOf(res))) > 0 {
				keep(b, res, IntoResult)
			}
		}
	}
	// A local value built from a callback and handed to a goroutine the
	// function starts (go c.connect()) outlives the call: the goroutine
	// keeps it.
	for _, site := range r.Sites(f.Body) {
		if site.Go == nil {
			continue
		}
		for _, op := range site.Operands {
			if v := testmodel.RootVar(info, op); v != nil && !slices.Contains(f.Params, v) {
				if b := fl.origins[v]; b != 0 {
					keep(b, op, -1)
				}
			}
		}
	}
	return fl
}

// addStored adds st to s.Stores, a set in which a value kept in a known
// operand's state is not also kept elsewhere (Into -1): where it is kept
// is what callers need to know.
func (s *Summary) addStored(st Stored) {
	for i, old := range s.Stores {
		if old.Operand != st.Operand || old.Kind != st.Kind {
			continue
		}
		if st.Into == -1 {
			return
		}
		if old.Into == -1 {
			s.Stores = slices.Delete(s.Stores, i, i+1)
			break
		}
	}
	if !slices.Contains(s.Stores, st) {
		s.Stores = append(s.Stores, st)
		slices.SortFunc(s.Stores, func(a, b Stored) int {
			if a.Operand != b.Operand {
				return a.Operand - b.Operand
			}
			if a.Kind < b.Kind {
				return -1
			}
			if a.Kind > b.Kind {
				return 1
			}
			return a.Into - b.Into
		})
	}
}

// storedKinds computes, once every summary is final, which kinds of
// callback the values that the package stores under another kind call
// (fiber's router, stored as fasthttp's RequestHandler, calls fiber's
// handlers), and adds to every RunsStored the kinds that running its kinds
// runs in turn.
func (r *Result) storedKinds() {
	ties := make(map[string][]string)
	for _, st := range r.storedValues {
		ref, ok := r.Index.Resolve(st.value)
		if !ok {
			continue
		}
		e := r.Effect(ref)
		// Only a named kind ties: every func() of a package is one
		// unnamed kind, and tying it would tie everything.
		if k := r.kindOf(st.typ); k != "" && !strings.Contains(k, ":") {
			ties[k] = addKinds(addKinds(ties[k], e.CallsStored), e.RunsStored)
		}
	}
	if len(ties) == 0 {
		return
	}
	expand := func(kinds []string) []string {
		for changed := true; changed; {
			changed = false
			for _, k := range kinds {
				for _, t := range ties[k] {
					if _, found := slices.BinarySearch(kinds, t); !found {
						kinds, changed = addKind(kinds, t), true
					}
				}
			}
		}
		return kinds
	}
	// The effect kept with a summary may be a copy of it (effect folds in
	// what is known by name), made before the ties were known: it is made
	// again from the expanded summary, or callers would read the old kinds.
	for i := range r.funcs {
		f := &r.funcs[i]
		if s := f.sum; s != nil && len(s.RunsStored) > 0 {
			s.RunsStored = expand(slices.Clone(s.RunsStored))
			f.effect = r.effect(f.Ref(), s)
		}
	}
}

// A storedValue is a function value that the package keeps in state of a
// callback type: a field set to a method value, a struct literal's
// function field.
type storedValue struct {
	typ   types.Type // the type of where it is kept
	value ast.Expr
}

// kindsString shows kinds for a fact's String.
func kindsString(kinds []string) string {
	out := ""
	for i, k := range kinds {
		if i > 0 {
			out += ","
		}
		out += k
	}
	return out
}

// storedString shows Stores for a fact's String: "1:pkg.Handler".
func storedString(stores []Stored) string {
	out := ""
	for i, st := range stores {
		if i > 0 {
			out += ","
		}
		out += strconv.Itoa(st.Operand) + ":" + st.Kind
		switch {
		case st.Into == IntoResult:
			out += "@result"
		case st.Into >= 0:
			out += "@" + strconv.Itoa(st.Into)
		}
	}
	return out
}

// interfaceMethods gives each method of the package's interfaces what
// the package's implementations of that interface keep and run: a call
// through the interface (js.Subscribe(subj, cb) on a
// nats.JetStreamContext, cons.Consume(cb) on a jetstream.Consumer) may
// keep the callbacks it is given like any of them, and one that takes
// none (c.Connect() on the Client that NewClient returns) may run, on
// goroutines, the callbacks the value was given before. Exported as facts
// on the interface methods, for the packages that call them.
func (r *Result) interfaceMethods(pass *analysis.Pass) {
	scope := r.pkg.Scope()
	var ifaces, impls []*types.Named
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		if types.IsInterface(named) {
			ifaces = append(ifaces, named)
		} else {
			impls = append(impls, named)
		}
	}
	for _, named := range ifaces {
		iface := named.Underlying().(*types.Interface)
		var implementations []types.Type
		for _, impl := range impls {
			if ptr := types.NewPointer(impl); types.Implements(ptr, iface) {
				implementations = append(implementations, ptr)
			}
		}
		if len(implementations) == 0 {
			continue
		}
		for m := range iface.Methods() {
			if m.Pkg() != r.pkg {
				continue
			}
			keeps := r.takesAnyCallback(m)
			var fact Fact
			for _, ptr := range implementations {
				fn, ok := funcindex.MethodOf(ptr, m)
				if !ok {
					continue
				}
				e := r.Effect(funcindex.Ref{Func: fn.Origin()})
				if keeps {
					for _, st := range e.Stores {
						if !slices.Contains(fact.Stores, st) {
							fact.Stores = append(fact.Stores, st)
						}
					}
					fact.CallsStored = addKinds(fact.CallsStored, e.CallsStored)
				}
				fact.RunsStored = addKinds(fact.RunsStored, e.RunsStored)
			}
			if !fact.empty() {
				r.ifaceMethods[m] = &Summary{Fact: fact}
				delete(r.effects, m) // asked, empty, while the package was summarised
				pass.ExportObjectFact(m, &fact)
			}
		}
	}
}

// takesAnyCallback reports whether one of fn's parameters may carry
// callbacks.
func (r *Result) takesAnyCallback(fn *types.Func) bool {
	for p := range fn.Signature().Params().Variables() {
		if r.takesCallbacks(p.Type()) {
			return true
		}
	}
	return false
}
