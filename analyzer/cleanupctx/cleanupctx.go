package cleanupctx

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports cleanups that use a context already cancelled when they
// run.
var Analyzer = &analysis.Analyzer{
	Name:      "cleanupctx",
	Doc:       analysisutil.MustExtractDoc(doc, "cleanupctx"),
	URL:       "https://github.com/testraces/testraces#cleanupctx",
	FactTypes: []analysis.Fact{new(Fact)},
	Run:       run,
}

// Categories of findings; each is a README anchor.
const (
	categoryTestContext    = "cleanupctx-test-context"
	categoryDeferredCancel = "cleanupctx-deferred-cancel"
)

func run(pass *analysis.Pass) (any, error) {
	testing := analysisutil.Imports(pass.Pkg, "testing")
	if !testing && !analysisutil.Imports(pass.Pkg, "context") || knowledge.KnownWithoutCode(pass.Pkg) {
		return nil, nil
	}
	c := newChecker(pass, testing)
	if testing {
		for _, ci := range c.calls {
			c.checkCall(ci.call, ci.fn)
		}
	}
	c.exportFacts()
	return nil, nil
}

// checker holds what one pass knows; nothing outlives the pass.
type checker struct {
	pass *analysis.Pass
	info *types.Info

	calls    []callIn                       // every call of the package, with the function it is in
	assigns  map[*types.Var][]assignment    // what each local variable and field is assigned
	opaque   map[*types.Var]bool            // assigned in ways not followed: range, &v, op=
	parentT  map[*types.Var]ast.Expr        // the testing parameter of a t.Run body literal -> the parent's testing value
	decls    map[*types.Func]*ast.FuncDecl  // the package's functions
	facts    map[*types.Func]*Fact          // summaries of the package's functions, computed on demand
	imported map[*types.Func]*Fact          // facts of other packages' functions, imported once
	busy     map[*types.Func]bool           // summaries being computed (recursion)
	reported map[token.Pos]bool             // uses already reported
	bodies   map[ast.Node]*ast.BlockStmt    // FuncDecl/FuncLit -> body
	files    map[*token.File]*ast.File      // for fixes
	declName map[ast.Node]string            // function -> name for messages
	rets     map[ast.Node][]*ast.ReturnStmt // each function's own return statements
	order    []*types.Func                  // the package's functions, in source order
}

// A callIn is a call and the innermost function it is in (nil at
// package level).
type callIn struct {
	call *ast.CallExpr
	fn   ast.Node
}

// An assignment is one value a variable or field is given.
type assignment struct {
	rhs   ast.Expr
	index int             // the result of a multi-valued call rhs; -1 otherwise
	stmt  *ast.AssignStmt // the statement, for ctx, cancel := ...
	fn    ast.Node        // the enclosing *ast.FuncDecl or *ast.FuncLit; nil at package level
}

func newChecker(pass *analysis.Pass, testing bool) *checker {
	c := &checker{
		pass:     pass,
		info:     pass.TypesInfo,
		assigns:  make(map[*types.Var][]assignment),
		opaque:   make(map[*types.Var]bool),
		parentT:  make(map[*types.Var]ast.Expr),
		decls:    make(map[*types.Func]*ast.FuncDecl),
		facts:    make(map[*types.Func]*Fact),
		imported: make(map[*types.Func]*Fact),
		busy:     make(map[*types.Func]bool),
		reported: make(map[token.Pos]bool),
		bodies:   make(map[ast.Node]*ast.BlockStmt),
		files:    make(map[*token.File]*ast.File),
		declName: make(map[ast.Node]string),
		rets:     make(map[ast.Node][]*ast.ReturnStmt),
	}
	for _, f := range pass.Files {
		c.files[pass.Fset.File(f.FileStart)] = f
	}
	c.collect(testing)
	return c
}

// collect records, in one walk, the package's functions, calls,
// assignments and subtest bodies.
//
// A package that does not import testing registers no cleanups: only its
// functions that return a context can have facts, and only their bodies
// are read.
func (c *checker) collect(testing bool) {
	for _, file := range c.pass.Files {
		if testing {
			c.collectIn(file)
			continue
		}
		for _, decl := range file.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok {
				if fn, ok := c.info.Defs[d.Name].(*types.Func); ok && summarized(fn) {
					c.collectIn(d)
				}
			}
		}
	}
}

// collectIn records what collect records, for the syntax under root.
func (c *checker) collectIn(root ast.Node) {
	var nodes, funcs []ast.Node // the nodes, and the functions, enclosing the walk's position
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			switch nodes[len(nodes)-1].(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				funcs = funcs[:len(funcs)-1]
			}
			nodes = nodes[:len(nodes)-1]
			return true
		}
		var fn ast.Node // the innermost function enclosing n
		if len(funcs) > 0 {
			fn = funcs[len(funcs)-1]
		}
		c.collectNode(n, fn)
		nodes = append(nodes, n)
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			funcs = append(funcs, n)
		}
		return true
	})
}

// collectNode records n, whose innermost enclosing function is fn.
func (c *checker) collectNode(n ast.Node, fn ast.Node) {
	switch n := n.(type) {
	case *ast.FuncDecl:
		if fn, ok := c.info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
			c.decls[fn] = n
			c.order = append(c.order, fn)
		}
		c.declName[n] = n.Name.Name
		if n.Body != nil {
			c.bodies[n] = n.Body
		}
	case *ast.FuncLit:
		c.bodies[n] = n.Body
	case *ast.CallExpr:
		c.calls = append(c.calls, callIn{n, fn})
		if t, name, body, ok := testmodel.RunCall(c.info, n); ok {
			if lit, ok := ast.Unparen(body).(*ast.FuncLit); ok {
				if v := c.firstParam(lit.Type); v != nil {
					c.parentT[v] = t
				}
				if tv := c.info.Types[name]; tv.Value != nil && tv.Value.Kind() == constant.String {
					c.declName[lit] = "subtest " + strconv.Quote(constant.StringVal(tv.Value))
				}
			}
		}
	case *ast.AssignStmt:
		switch {
		case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
			for _, lhs := range n.Lhs {
				c.markOpaque(lhs)
			}
		case len(n.Lhs) == len(n.Rhs):
			for i, lhs := range n.Lhs {
				c.assign(lhs, assignment{rhs: n.Rhs[i], index: -1, stmt: n, fn: fn})
			}
		case len(n.Rhs) == 1:
			for i, lhs := range n.Lhs {
				c.assign(lhs, assignment{rhs: n.Rhs[0], index: i, stmt: n, fn: fn})
			}
		}
	case *ast.ValueSpec:
		switch {
		case len(n.Values) == len(n.Names):
			for i, name := range n.Names {
				c.assign(name, assignment{rhs: n.Values[i], index: -1, fn: fn})
			}
		case len(n.Values) == 1:
			for i, name := range n.Names {
				c.assign(name, assignment{rhs: n.Values[0], index: i, fn: fn})
			}
		}
	case *ast.RangeStmt:
		if n.Key != nil {
			c.markOpaque(n.Key)
		}
		if n.Value != nil {
			c.markOpaque(n.Value)
		}
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			c.markOpaque(n.X)
		}
	case *ast.CompositeLit:
		c.compositeFields(n, fn)
	case *ast.ReturnStmt:
		// Only the returns of functions that may have facts, or that
		// return an interface (concreteIgnores), are read.
		if d, ok := fn.(*ast.FuncDecl); ok {
			if f, ok := c.info.Defs[d.Name].(*types.Func); ok && (summarized(f) || returnsInterface(f)) {
				c.rets[fn] = append(c.rets[fn], n)
			}
		}
	}
}

// returnsInterface reports whether fn has a result of interface type.
func returnsInterface(fn *types.Func) bool {
	for v := range fn.Signature().Results().Variables() {
		if types.IsInterface(v.Type()) {
			return true
		}
	}
	return false
}

// isParam reports whether v is a parameter or result of a function (or
// its receiver): it has a value that no assignment shows.
func isParam(v *types.Var) bool {
	switch v.Kind() {
	case types.ParamVar, types.ResultVar, types.RecvVar:
		return true
	}
	return false
}

func (c *checker) firstParam(typ *ast.FuncType) *types.Var {
	if typ.Params == nil || len(typ.Params.List) != 1 || len(typ.Params.List[0].Names) != 1 {
		return nil
	}
	v, _ := c.info.Defs[typ.Params.List[0].Names[0]].(*types.Var)
	return v
}

// lhsVar returns the local variable or field that e denotes, or nil.
func (c *checker) lhsVar(e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if e.Name == "_" {
			return nil
		}
		if v, ok := c.info.Defs[e].(*types.Var); ok {
			return v
		}
		v, _ := c.info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		if sel := c.info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			v, _ := sel.Obj().(*types.Var)
			return v
		}
	}
	return nil
}

func (c *checker) assign(lhs ast.Expr, a assignment) {
	if v := c.lhsVar(lhs); v != nil && followed(v.Type()) {
		c.assigns[v] = append(c.assigns[v], a)
	}
}

// followed reports whether the values of variables of type t are
// followed: contexts, cancel functions and function values, the
// interfaces whose concrete values may ignore a context, and testing
// values (tt := t). A test's ints, strings and structs, most of its
// assignments, are not.
func followed(t types.Type) bool {
	if testmodel.IsTestingType(t) {
		return true
	}
	switch t.Underlying().(type) {
	case *types.Interface, *types.Signature:
		return true
	}
	return false
}

func (c *checker) markOpaque(e ast.Expr) {
	if v := c.lhsVar(e); v != nil {
		c.opaque[v] = true
	}
}

// compositeFields records the fields a struct literal sets.
func (c *checker) compositeFields(lit *ast.CompositeLit, fn ast.Node) {
	typ := c.info.TypeOf(lit)
	if typ == nil {
		return
	}
	st, ok := typ.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok {
				if v, ok := c.info.Uses[key].(*types.Var); ok && v.IsField() {
					c.assigns[v] = append(c.assigns[v], assignment{rhs: kv.Value, index: -1, fn: fn})
				}
			}
			continue
		}
		if i < st.NumFields() {
			c.assigns[st.Field(i)] = append(c.assigns[st.Field(i)], assignment{rhs: elt, index: -1, fn: fn})
		}
	}
}

// calleeFunc returns the function or method that call statically calls.
func (c *checker) calleeFunc(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(c.info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	// A method expression, T.m(x, args), passes the receiver as an argument.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			return nil
		}
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return nil
	}
	return fn.Origin()
}

// A registration is one function registered with t.Cleanup.
type registration struct {
	call  *ast.CallExpr // t.Cleanup(f), or the helper call that registers f
	t     ast.Expr      // the testing value it is registered on
	test  testRef
	fn    ast.Node       // the function the registering call is in
	body  *ast.BlockStmt // the cleanup's body; nil when unknown
	lit   bool           // the cleanup is a function literal: a fix may edit it
	subst map[*types.Var]*types.Var
}

func (r *registration) inBody(n ast.Node) bool {
	return r.body != nil && r.body.Pos() <= n.Pos() && n.End() <= r.body.End()
}

// cleanupArg is a function registered with Cleanup on a testing value.
type cleanupArg struct{ t, fn ast.Expr }

// cleanupArgs returns what call registers with Cleanup: t.Cleanup(f), or a
// helper that registers its function argument.
func (c *checker) cleanupArgs(call *ast.CallExpr) []cleanupArg {
	if recv, ok := testmodel.CleanupCall(c.info, call); ok {
		if len(call.Args) == 1 {
			return []cleanupArg{{recv, call.Args[0]}}
		}
		return nil
	}
	fn := c.calleeFunc(call)
	if fn == nil {
		return nil
	}
	var args []cleanupArg
	for _, r := range c.factOf(fn).Cleanups {
		if r.Func < len(call.Args) && r.T < len(call.Args) {
			args = append(args, cleanupArg{call.Args[r.T], call.Args[r.Func]})
		}
	}
	return args
}

// checkCall checks the cleanups that call registers, and the contexts it
// passes to a helper that uses them in a cleanup.
func (c *checker) checkCall(call *ast.CallExpr, in ast.Node) {
	for _, ca := range c.cleanupArgs(call) {
		test, ok := c.testRef(ca.t, nil, 0)
		if !ok {
			continue
		}
		reg := &registration{call: call, t: ca.t, test: test, fn: in}
		reg.body, reg.lit, reg.subst = c.cleanupBody(ca.fn)
		if reg.body == nil || reg.fn == nil {
			continue
		}
		c.checkCleanup(reg)
	}
	fn := c.calleeFunc(call)
	if fn == nil {
		return
	}
	for _, u := range c.factOf(fn).CleanupUses {
		if u.Ctx >= len(call.Args) || u.T >= len(call.Args) {
			continue
		}
		test, ok := c.testRef(call.Args[u.T], nil, 0)
		if !ok || in == nil {
			continue
		}
		reg := &registration{call: call, t: call.Args[u.T], test: test, fn: in}
		arg := call.Args[u.Ctx]
		q := &query{reg: reg}
		if r, ok := c.dead(q, arg); ok {
			c.report(reg, call, arg, r, q, fn.Name())
		}
	}
}

// cleanupBody returns the body of the function that fn denotes, whether it
// is a function literal, and the receiver a method value binds.
func (c *checker) cleanupBody(fn ast.Expr) (*ast.BlockStmt, bool, map[*types.Var]*types.Var) {
	switch e := ast.Unparen(fn).(type) {
	case *ast.FuncLit:
		return e.Body, true, nil
	case *ast.Ident:
		switch obj := c.info.Uses[e].(type) {
		case *types.Var:
			if lit := c.funcLitOf(obj); lit != nil {
				return lit.Body, true, nil
			}
		case *types.Func:
			if d := c.decls[obj]; d != nil {
				return d.Body, false, nil
			}
		}
	case *ast.SelectorExpr:
		sel := c.info.Selections[e]
		if sel == nil {
			if fn, ok := c.info.Uses[e.Sel].(*types.Func); ok && c.decls[fn] != nil {
				return c.decls[fn].Body, false, nil
			}
			return nil, false, nil
		}
		fn, ok := sel.Obj().(*types.Func)
		if !ok || sel.Kind() != types.MethodVal || c.decls[fn] == nil {
			return nil, false, nil
		}
		d := c.decls[fn]
		var subst map[*types.Var]*types.Var
		if x, ok := ast.Unparen(e.X).(*ast.Ident); ok && d.Recv != nil && len(d.Recv.List) == 1 && len(d.Recv.List[0].Names) == 1 {
			recv, _ := c.info.Defs[d.Recv.List[0].Names[0]].(*types.Var)
			if xv, ok := c.info.Uses[x].(*types.Var); ok && recv != nil {
				subst = map[*types.Var]*types.Var{recv: xv}
			}
		}
		return d.Body, false, subst
	}
	return nil, false, nil
}

// funcLitOf returns the function literal that a local variable is assigned,
// if that is its only value.
func (c *checker) funcLitOf(v *types.Var) *ast.FuncLit {
	if c.opaque[v] || isParam(v) || isPackageLevel(v) || len(c.assigns[v]) != 1 || c.assigns[v][0].index >= 0 {
		return nil
	}
	lit, _ := ast.Unparen(c.assigns[v][0].rhs).(*ast.FuncLit)
	return lit
}

func isPackageLevel(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// checkCleanup reports the uses of cancelled contexts in one cleanup.
func (c *checker) checkCleanup(reg *registration) {
	ast.Inspect(reg.body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, i := range c.contextArgs(call) {
			arg := call.Args[i]
			q := &query{reg: reg}
			if r, ok := c.dead(q, arg); ok {
				c.report(reg, call, arg, r, q, "")
			}
		}
		return true
	})
}

// contextArgs returns the indexes of the arguments through which call uses
// a context: parameters of type context.Context of a function that is not
// known to only derive a context or read values from it.
func (c *checker) contextArgs(call *ast.CallExpr) []int {
	tv, ok := c.info.Types[call.Fun]
	if !ok || tv.Type == nil || tv.IsType() || tv.IsBuiltin() {
		return nil
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return nil
	}
	// The context's own methods (ctx.Err(), ctx.Done()) do not fail.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && knowledge.IsContext(c.info.TypeOf(sel.X)) {
		return nil
	}
	fn := c.calleeFunc(call)
	if fn == nil {
		// A call of a function value or an interface method.
		if f, _ := typeutil.Callee(c.info, call).(*types.Func); f != nil {
			fn = f
		}
	}
	if fn != nil {
		if _, ok := knowledge.DerivedContext(fn); ok || knowledge.ReadsContextValues(fn) {
			return nil
		}
	}
	var derived map[int]bool
	if fn != nil {
		for _, r := range c.factOf(fn).Results {
			if r.Ctx >= 0 {
				if derived == nil {
					derived = make(map[int]bool)
				}
				derived[r.Ctx] = true
			}
		}
	}
	var idx []int
	n := sig.Params().Len()
	for i, arg := range call.Args {
		if fn != nil && c.ignoresParam(fn, i) || c.concreteIgnores(call, i) {
			continue
		}
		var pt types.Type
		switch {
		case i < n-1 || i == n-1 && !sig.Variadic():
			pt = sig.Params().At(i).Type()
		case sig.Variadic() && n > 0 && !call.Ellipsis.IsValid():
			if s, ok := sig.Params().At(n - 1).Type().(*types.Slice); ok {
				pt = s.Elem()
			}
		}
		if knowledge.IsContext(pt) && knowledge.IsContext(c.info.TypeOf(arg)) && !derived[i] {
			idx = append(idx, i)
		}
	}
	return idx
}

// ignoresParam reports whether fn never reads its parameter i: it is
// named _ or left unnamed, or, in a function of this package, unused.
func (c *checker) ignoresParam(fn *types.Func, i int) bool {
	params := fn.Signature().Params()
	if i >= params.Len() || fn.Signature().Variadic() && i >= params.Len()-1 {
		return false
	}
	p := params.At(i)
	if p.Name() == "" || p.Name() == "_" {
		return true
	}
	d := c.decls[fn]
	return fn.Pkg() == c.pass.Pkg && d != nil && !testmodel.Mentions(c.info, d.Body, p)
}

// concreteIgnores reports whether call is x.m(...) on an interface, x
// holds what a function of this package returns, every value it returns
// has one concrete type, and that type's method m ignores its parameter i.
func (c *checker) concreteIgnores(call *ast.CallExpr, i int) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s := c.info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.info.Uses[id].(*types.Var)
	if !ok || c.opaque[v] || len(c.assigns[v]) != 1 {
		return false
	}
	a := c.assigns[v][0]
	rhs, ok := ast.Unparen(a.rhs).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := c.calleeFunc(rhs)
	if fn == nil || c.decls[fn] == nil {
		return false
	}
	k := max(a.index, 0)
	var concrete types.Type
	for _, ret := range c.rets[c.decls[fn]] {
		if len(ret.Results) != fn.Signature().Results().Len() || k >= len(ret.Results) {
			return false
		}
		tv := c.info.Types[ret.Results[k]]
		if tv.IsNil() {
			continue
		}
		if tv.Type == nil || types.IsInterface(tv.Type) || concrete != nil && !types.Identical(concrete, tv.Type) {
			return false
		}
		concrete = tv.Type
	}
	if concrete == nil {
		return false
	}
	m, _, _ := types.LookupFieldOrMethod(concrete, true, c.pass.Pkg, sel.Sel.Name)
	mf, ok := m.(*types.Func)
	return ok && c.ignoresParam(mf, i)
}

// report reports the use of a cancelled context arg in call.
func (c *checker) report(reg *registration, call *ast.CallExpr, arg ast.Expr, r reason, q *query, helper string) {
	if c.reported[arg.Pos()] {
		return
	}
	c.reported[arg.Pos()] = true

	use := types.ExprString(arg)
	entry := arg
	if q.entry != nil && !q.branched {
		entry = q.entry
	}
	var why string
	switch r.category {
	case categoryTestContext:
		t := types.ExprString(r.test)
		switch {
		case r.helper != "":
			why = fmt.Sprintf("%s derives it from %s.Context(), which is cancelled just before Cleanup functions are called", r.helper, t)
		case r.sub:
			why = fmt.Sprintf("%s.Context() is a subtest's context, cancelled when the subtest ends", t)
		case ast.Unparen(arg) == r.at:
			why = "it is cancelled just before Cleanup functions are called"
		default:
			why = fmt.Sprintf("%s.Context() is cancelled just before Cleanup functions are called", t)
		}
	case categoryDeferredCancel:
		if r.deferred {
			why = fmt.Sprintf("%s is deferred in %s, which returns before its cleanups run", r.cancel, c.funcName(reg.fn))
		} else {
			why = fmt.Sprintf("%s is called in %s before it returns", r.cancel, c.funcName(reg.fn))
		}
	}
	var msg string
	if helper != "" {
		msg = fmt.Sprintf("%s is cancelled before the cleanups run (%s), but %s uses it in a cleanup it registers on %s, which fails with context canceled; give that cleanup context.WithoutCancel of it",
			use, why, helper, types.ExprString(reg.t))
	} else {
		// An interface method or a function value may or may not read it.
		fails := "fails"
		if c.calleeFunc(call) == nil {
			fails = "may fail"
		}
		msg = fmt.Sprintf("%s is cancelled before the cleanup runs (%s), so %s %s with context canceled; pass context.WithoutCancel(%s)",
			use, why, calleeName(call), fails, types.ExprString(entry))
	}
	related := []analysis.RelatedInformation{{Pos: reg.call.Pos(), End: reg.call.End(), Message: "the cleanup is registered here"}}
	if helper != "" {
		related[0].Message = helper + " registers the cleanup here"
	}
	if r.at != nil && !(arg.Pos() <= r.at.Pos() && r.at.End() <= arg.End()) {
		var m string
		switch {
		case r.category == categoryDeferredCancel && r.deferred:
			m = r.cancel + " is deferred here"
		case r.category == categoryDeferredCancel:
			m = r.cancel + " is called here"
		case r.helper != "":
			m = "the context comes from " + r.helper + " here"
		default:
			m = types.ExprString(r.test) + ".Context() is called here"
		}
		related = append(related, analysis.RelatedInformation{Pos: r.at.Pos(), End: r.at.End(), Message: m})
	}
	diag := analysis.Diagnostic{
		Pos:      arg.Pos(),
		End:      arg.End(),
		Category: r.category,
		Message:  msg,
		Related:  related,
	}
	if helper == "" && reg.lit && q.entry != nil && !q.branched {
		if edits, ok := c.fix(q.entry); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Pass context.WithoutCancel(" + types.ExprString(q.entry) + ")",
				TextEdits: edits,
			}}
		}
	}
	c.pass.Report(diag)
}

// funcName names a function for a message.
func (c *checker) funcName(fn ast.Node) string {
	if name, ok := c.declName[fn]; ok {
		return name
	}
	return "the enclosing function literal"
}

// calleeName names what call calls, for a message.
func calleeName(call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	case *ast.FuncLit:
		return "the function literal"
	}
	return types.ExprString(fun)
}
