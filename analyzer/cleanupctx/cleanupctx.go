package cleanupctx

import (
	_ "embed"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
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
	Requires:  []*analysis.Analyzer{funcindex.Analyzer},
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
	c := newChecker(pass)
	pass.Report = c.idx.SkipNeverRun(pass.Report)
	// A package that does not import testing registers no cleanups: only
	// its functions that return a context can have facts.
	if testing {
		c.indexSubtests()
		for _, fn := range c.idx.Funcs() {
			for _, call := range fn.Calls {
				c.checkCall(call, fn)
			}
		}
	}
	c.exportFacts()
	return nil, nil
}

// checker holds what one pass knows; nothing outlives the pass.
type checker struct {
	sources *analysisutil.Sources // the files fixes are built from, read once
	pass    *analysis.Pass
	info    *types.Info
	idx     *funcindex.Index

	parentT  map[*types.Var]ast.Expr   // the testing parameter of a t.Run body literal -> the parent's testing value
	subtests map[*ast.FuncLit]string   // a t.Run body literal -> the subtest's constant name, quoted
	facts    map[*types.Func]*Fact     // summaries of the package's functions, computed on demand
	imported map[*types.Func]*Fact     // facts of other packages' functions, imported once
	busy     map[*types.Func]bool      // summaries being computed (recursion)
	sites    map[siteKey]ast.Node      // where the package's functions use a test's context, for related positions
	reported map[token.Pos]bool        // uses already reported
	files    map[*token.File]*ast.File // for fixes
}

func newChecker(pass *analysis.Pass) *checker {
	c := &checker{
		sources:  analysisutil.NewSources(pass),
		pass:     pass,
		info:     pass.TypesInfo,
		idx:      pass.ResultOf[funcindex.Analyzer].(*funcindex.Index),
		parentT:  make(map[*types.Var]ast.Expr),
		subtests: make(map[*ast.FuncLit]string),
		facts:    make(map[*types.Func]*Fact),
		imported: make(map[*types.Func]*Fact),
		busy:     make(map[*types.Func]bool),
		sites:    make(map[siteKey]ast.Node),
		reported: make(map[token.Pos]bool),
		files:    make(map[*token.File]*ast.File),
	}
	for _, f := range pass.Files {
		c.files[pass.Fset.File(f.FileStart)] = f
	}
	return c
}

// indexSubtests records, for each t.Run whose body is a literal, the
// parent's testing value (a subtest's context is cancelled when the
// subtest ends, before the parent's cleanups) and the subtest's name.
func (c *checker) indexSubtests() {
	for _, fn := range c.idx.Funcs() {
		for _, call := range fn.Calls {
			t, name, body, ok := testmodel.RunCall(c.info, call)
			if !ok {
				continue
			}
			lit, ok := ast.Unparen(body).(*ast.FuncLit)
			if !ok {
				continue
			}
			if sub := c.idx.Func(lit); sub != nil && len(sub.Params) == 1 {
				c.parentT[sub.Params[0]] = t
			}
			if tv := c.info.Types[name]; tv.Value != nil && tv.Value.Kind() == constant.String {
				c.subtests[lit] = strconv.Quote(constant.StringVal(tv.Value))
			}
		}
	}
}

// A siteKey names one TestContextUse of a function of the package.
type siteKey struct {
	fn    *types.Func
	t     int
	field string
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

// valuesOf returns the values v is given, nil when it is also given
// values no assignment shows (a range clause, an op=, its address). A
// declaration without a value is left out: a variable declared (var ctx
// context.Context) and then set is followed to what it is set to.
func (c *checker) valuesOf(v *types.Var) []funcindex.Assignment {
	if c.idx.Opaque(v) {
		return nil
	}
	as := c.idx.Assignments(v)
	if !slices.ContainsFunc(as, isZeroValue) {
		return as
	}
	return slices.DeleteFunc(slices.Clone(as), isZeroValue)
}

func isZeroValue(a funcindex.Assignment) bool { return a.Value == nil }

// onlyValue returns the one single-valued expression that v, a local
// variable, is given, if that is all it ever holds.
func (c *checker) onlyValue(v *types.Var) (ast.Expr, bool) {
	if isParam(v) || testmodel.IsPackageLevel(v) || v.IsField() {
		return nil, false
	}
	if as := c.valuesOf(v); len(as) == 1 && as[0].Result < 0 {
		return as[0].Value, true
	}
	return nil, false
}

// callee returns the declared function or method that call runs, as the
// index resolves it (nil for a function literal, or a value it does not
// follow), and the call's operands: a method value's receiver first, then
// the arguments, the numbering of the facts.
func (c *checker) callee(call *ast.CallExpr) (*types.Func, []ast.Expr) {
	ref, operands, _ := c.idx.Callee(call)
	return ref.Func, operands
}

// isInterfaceMethod reports whether fn is a method of an interface: what
// a call of it runs depends on the value it is called on.
func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// A registration is one function registered with t.Cleanup.
type registration struct {
	call  *ast.CallExpr // t.Cleanup(f), or the helper call that registers f
	t     ast.Expr      // the testing value it is registered on
	test  testRef
	fn    *funcindex.Func // the function the registering call is in
	body  *ast.BlockStmt  // the cleanup's body; nil when unknown
	lit   bool            // the cleanup is a function literal: a fix may edit it
	subst map[*types.Var]*types.Var
	// helper is the body of the code being checked when it is a function
	// literal that the cleanup calls, outside its body; nil otherwise.
	helper *ast.BlockStmt
}

func (r *registration) inBody(n ast.Node) bool {
	return r.body != nil && r.body.Pos() <= n.Pos() && n.End() <= r.body.End()
}

// inChecked reports whether n is in the code being checked: the cleanup's
// body, or the helper literal's.
func (r *registration) inChecked(n ast.Node) bool {
	if r.helper != nil {
		return within(n, r.helper)
	}
	return r.inBody(n)
}

// cleanupArg is a function registered with Cleanup on a testing value.
type cleanupArg struct{ t, fn ast.Expr }

// cleanupArgs returns what call, which runs fn with operands (from
// callee), registers with Cleanup: t.Cleanup(f), or a helper that
// registers its function argument.
func (c *checker) cleanupArgs(call *ast.CallExpr, fn *types.Func, operands []ast.Expr) []cleanupArg {
	if recv, ok := testmodel.CleanupCall(c.info, call); ok {
		if len(call.Args) == 1 {
			return []cleanupArg{{recv, call.Args[0]}}
		}
		return nil
	}
	if fn == nil {
		return nil
	}
	var args []cleanupArg
	for _, r := range c.factOf(fn).Cleanups {
		if r.Func < len(operands) && r.T < len(operands) {
			args = append(args, cleanupArg{operands[r.T], operands[r.Func]})
		}
	}
	return args
}

// checkCall checks the cleanups that call, in the function in, registers,
// and the contexts it passes to a helper that uses them in a cleanup.
func (c *checker) checkCall(call *ast.CallExpr, in *funcindex.Func) {
	if in == nil {
		return // package level: no test is running
	}
	fn, operands := c.callee(call)
	for _, ca := range c.cleanupArgs(call, fn, operands) {
		test, ok := c.testRef(ca.t, nil, 0)
		if !ok {
			continue
		}
		reg := &registration{call: call, t: ca.t, test: test, fn: in}
		reg.body, reg.lit, reg.subst = c.cleanupBody(ca.fn)
		if reg.body == nil {
			continue
		}
		c.checkCleanup(reg)
	}
	if fn == nil {
		return
	}
	for _, u := range c.factOf(fn).CleanupUses {
		if u.Ctx >= len(operands) || u.T >= len(operands) {
			continue
		}
		test, ok := c.testRef(operands[u.T], nil, 0)
		if !ok {
			continue
		}
		reg := &registration{call: call, t: operands[u.T], test: test, fn: in}
		arg := operands[u.Ctx]
		q := &query{reg: reg}
		if r, ok := c.dead(q, arg); ok {
			c.report(reg, call, arg, r, q, fn.Name())
		}
	}
}

// cleanupBody returns the body of the function that fn denotes, whether it
// is a function literal the registering code writes (a fix may edit it),
// and what the body's variables stand for: the receiver a method value
// binds, the parameters of a helper that hands back a closure.
func (c *checker) cleanupBody(fn ast.Expr) (*ast.BlockStmt, bool, map[*types.Var]*types.Var) {
	if id, ok := ast.Unparen(fn).(*ast.Ident); ok {
		if v, ok := c.info.Uses[id].(*types.Var); ok {
			// A local variable that holds a literal, or a closure a
			// helper hands back. (The index's Resolve would not follow
			// one declared without a value and set later, and would
			// follow package-level ones.)
			if value, ok := c.onlyValue(v); ok {
				if lit, ok := ast.Unparen(value).(*ast.FuncLit); ok {
					return lit.Body, true, nil
				}
			}
			return c.handedBackBody(fn, v)
		}
	}
	if call, ok := ast.Unparen(fn).(*ast.CallExpr); ok {
		return c.handedBack(fn, call) // t.Cleanup(startDB(t))
	}
	ref, ok := c.idx.Resolve(fn)
	if !ok {
		return nil, false, nil
	}
	body := c.idx.Body(ref)
	if ref.Lit != nil || body == nil {
		return body, ref.Lit != nil, nil
	}
	return body, false, c.receiverSubst(ref)
}

// handedBackBody is handedBack for fn, a use of v, a local variable given
// only a helper's result (stop, err := startDB(t)).
func (c *checker) handedBackBody(fn ast.Expr, v *types.Var) (*ast.BlockStmt, bool, map[*types.Var]*types.Var) {
	if isParam(v) || testmodel.IsPackageLevel(v) || v.IsField() {
		return nil, false, nil
	}
	as := c.valuesOf(v)
	if len(as) != 1 {
		return nil, false, nil
	}
	call, ok := ast.Unparen(as[0].Value).(*ast.CallExpr)
	if !ok {
		return nil, false, nil
	}
	return c.handedBack(fn, call)
}

// handedBack returns the body of the one function literal that calling fn
// runs, when call, a call of a function of the package, hands it back
// (the index's Targets), and the caller's variables that function's
// parameters stand for. The literal serves every caller: no fix edits it.
func (c *checker) handedBack(fn ast.Expr, call *ast.CallExpr) (*ast.BlockStmt, bool, map[*types.Var]*types.Var) {
	targets := c.idx.Targets(fn)
	if len(targets) != 1 || targets[0].Lit == nil {
		return nil, false, nil
	}
	helper, operands := c.callee(call)
	f := c.idx.FuncOf(helper)
	if f == nil {
		return nil, false, nil
	}
	subst := make(map[*types.Var]*types.Var)
	for i, p := range f.Params {
		if i >= len(operands) {
			break
		}
		if v, ok := c.info.Uses[identOf(operands[i])].(*types.Var); ok {
			subst[p] = v
		}
	}
	return targets[0].Lit.Body, false, subst
}

// receiverSubst maps the receiver of the method that ref, a method value
// x.m, runs to the variable x: what the method's body does with its
// receiver, the cleanup does with x.
func (c *checker) receiverSubst(ref funcindex.Ref) map[*types.Var]*types.Var {
	if len(ref.Bound) != 1 {
		return nil
	}
	x, ok := ast.Unparen(ref.Bound[0]).(*ast.Ident)
	if !ok {
		return nil
	}
	xv, ok := c.info.Uses[x].(*types.Var)
	if !ok {
		return nil
	}
	return map[*types.Var]*types.Var{c.idx.Params(ref)[0]: xv}
}

// checkCleanup reports the uses of cancelled contexts in one cleanup. The
// uses of a context the cleanup derives from a cancelled one are reported
// together, at that derivation.
func (c *checker) checkCleanup(reg *registration) {
	var derived []use
	c.contextUses(reg.body, func(call *ast.CallExpr, arg ast.Expr) {
		q := &query{reg: reg}
		r, ok := c.dead(q, arg)
		switch u := (use{call, arg, r, q}); {
		case !ok:
		case u.derivedInCleanup():
			derived = append(derived, u)
		default:
			c.report(reg, call, arg, r, q, "")
		}
	})
	for _, uses := range byEntry(derived) {
		c.reportDerivation(reg, uses)
	}
	c.checkHelperCalls(reg)
}

// byEntry groups uses by their entry into the cleanup, in source order.
func byEntry(uses []use) [][]use {
	var groups [][]use
	index := make(map[ast.Expr]int)
	for _, u := range uses {
		i, ok := index[u.q.entry]
		if !ok {
			i = len(groups)
			index[u.q.entry] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], u)
	}
	return groups
}

// contextUses calls use for each context argument of a call in body, or
// in the function literals in it, that the call may need alive.
func (c *checker) contextUses(body *ast.BlockStmt, use func(call *ast.CallExpr, arg ast.Expr)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			for _, i := range c.contextArgs(call) {
				use(call, call.Args[i])
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
	ref, operands, _ := c.idx.Callee(call)
	fn := ref.Func
	if fn != nil {
		if _, ok := knowledge.DerivedContext(fn); ok || knowledge.ReadsContextValues(fn) {
			return nil
		}
	}
	bound := 0 // the operands before the arguments: a method value's receiver
	if fn != nil {
		bound = len(operands) - len(call.Args)
	}
	derived := c.derivingParams(fn)
	var idx []int
	n := sig.Params().Len()
	for i, arg := range call.Args {
		if fn != nil && c.ignoresParam(ref, bound+i) || c.concreteIgnores(call, i) {
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
		if knowledge.IsContext(pt) && knowledge.IsContext(c.info.TypeOf(arg)) && !derived[bound+i] {
			idx = append(idx, i)
		}
	}
	return idx
}

// derivingParams returns the operands of fn that it returns a context
// derived from: passing it a cancelled context is no use of it, the
// context fn returns is.
func (c *checker) derivingParams(fn *types.Func) map[int]bool {
	if fn == nil {
		return nil
	}
	var derived map[int]bool
	for _, r := range c.factOf(fn).Results {
		if r.Ctx >= 0 {
			if derived == nil {
				derived = make(map[int]bool)
			}
			derived[r.Ctx] = true
		}
	}
	return derived
}

// ignoresParam reports whether the function ref never reads its operand
// i: a parameter named _ or left unnamed, or, in a function of this
// package, one its body does not mention.
func (c *checker) ignoresParam(ref funcindex.Ref, i int) bool {
	params := c.idx.Params(ref)
	if i >= len(params) || c.idx.Variadic(ref) && i >= len(params)-1 {
		return false
	}
	p := params[i]
	if p.Name() == "" || p.Name() == "_" {
		return true
	}
	f := c.idx.FuncOf(ref.Func)
	return f != nil && !testmodel.Mentions(c.info, f.Body, p)
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
	if !ok {
		return false
	}
	as := c.valuesOf(v)
	if len(as) != 1 {
		return false
	}
	rhs, ok := ast.Unparen(as[0].Value).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := c.callee(rhs)
	concrete := c.concreteResult(c.idx.FuncOf(fn), max(as[0].Result, 0))
	if concrete == nil {
		return false
	}
	m, _, _ := types.LookupFieldOrMethod(concrete, true, c.pass.Pkg, sel.Sel.Name)
	mf, ok := m.(*types.Func)
	// The method's receiver is its operand 0, the interface call's
	// argument i its operand i+1.
	return ok && c.ignoresParam(funcindex.Ref{Func: mf}, i+1)
}

// concreteResult returns the one concrete type of the values that f, a
// function of this package, returns as its result k; nil if there is
// none, or more than one.
func (c *checker) concreteResult(f *funcindex.Func, k int) types.Type {
	if f == nil || f.Obj == nil {
		return nil
	}
	var concrete types.Type
	for _, ret := range f.Returns {
		if len(ret.Results) != f.Obj.Signature().Results().Len() || k >= len(ret.Results) {
			return nil
		}
		tv := c.info.Types[ret.Results[k]]
		if tv.IsNil() {
			continue
		}
		if tv.Type == nil || types.IsInterface(tv.Type) || concrete != nil && !types.Identical(concrete, tv.Type) {
			return nil
		}
		concrete = tv.Type
	}
	return concrete
}
