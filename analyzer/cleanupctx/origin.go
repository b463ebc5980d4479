package cleanupctx

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// maxDepth bounds how far a context's origin is followed.
const maxDepth = 24

// A query asks whether a context is certainly cancelled. With reg set, it
// asks it for the cleanup reg registers; without, it asks, for a helper's
// summary, which parameter the context comes from.
type query struct {
	reg    *registration
	params map[*types.Var]int // summary: the helper's parameters

	entry    ast.Expr // the last expression in the checked code on the way to the origin
	branched bool     // the context has more than one possible origin: no single entry to fix
	depth    int
	seen     map[*types.Var]bool
}

// A reason is why a context is cancelled when the cleanup runs.
type reason struct {
	category string
	at       ast.Node // the Context() call, the helper call, or the cancel statement
	test     ast.Expr // categoryTestContext: the testing value whose context it is
	helper   string   // the helper that returned the context, if any
	sub      bool     // the context is a subtest's
	cancel   string   // categoryDeferredCancel: the cancel function
	deferred bool     // the cancel function is deferred, not called

	// In a summary: the context is the Context() of testing parameter
	// param, or of the testing value in its field (fromT), or derived
	// from context parameter param.
	fromT, fromCtx bool
	param          int
	field          string
}

// dead reports whether the context e evaluates to is certainly cancelled
// when the cleanup of q runs, and why; for a summary, which parameter it
// comes from.
func (c *checker) dead(q *query, e ast.Expr) (reason, bool) {
	if q.depth > maxDepth {
		return reason{}, false
	}
	q.depth++
	defer func() { q.depth-- }()
	e = ast.Unparen(e)
	if q.reg != nil && q.reg.inChecked(e) {
		q.entry = e
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		return c.deadResult(q, e, 0)
	case *ast.Ident:
		v, _ := c.info.Uses[e].(*types.Var)
		return c.deadVar(q, v)
	case *ast.SelectorExpr:
		sel := c.info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal || q.reg == nil {
			return reason{}, false
		}
		v, _ := sel.Obj().(*types.Var)
		return c.deadField(q, v)
	}
	return reason{}, false
}

// deadResult is dead for result index of call.
func (c *checker) deadResult(q *query, call *ast.CallExpr, index int) (reason, bool) {
	if recv, fn, ok := testmodel.TestingMethod(c.info, call); ok {
		if fn.Name() == "Context" && len(call.Args) == 0 && index == 0 {
			return c.deadTest(q, recv, call, "")
		}
		return reason{}, false
	}
	fn, operands := c.callee(call)
	if fn == nil {
		return reason{}, false
	}
	if i, ok := knowledge.DerivedContext(fn); ok {
		if i != index || len(operands) == 0 {
			return reason{}, false
		}
		return c.dead(q, operands[0])
	}
	for _, r := range c.factOf(fn).Results {
		if r.Result != index {
			continue
		}
		switch {
		case r.T >= 0 && r.T < len(operands):
			return c.deadTest(q, operands[r.T], call, fn.Name())
		case r.Ctx >= 0 && r.Ctx < len(operands):
			return c.dead(q, operands[r.Ctx])
		}
	}
	return reason{}, false
}

// deadTest is dead for the context of the testing value t, obtained at
// the call at (t.Context(), or a helper's call).
func (c *checker) deadTest(q *query, t ast.Expr, at *ast.CallExpr, helper string) (reason, bool) {
	if q.reg == nil {
		if i, field, ok := c.testOperand(q, t); ok {
			return reason{fromT: true, param: i, field: field, at: at}, true
		}
		return reason{}, false
	}
	ref, ok := c.testOf(q.reg, t)
	if !ok {
		return reason{}, false
	}
	// s.T() evaluated when the cleanup runs may be another test than when
	// it was registered (testify restores the parent's).
	if ref.method != "" && (q.reg.inBody(at) || q.reg.helper != nil) {
		return reason{}, false
	}
	sub, ok := c.within(ref, q.reg.test)
	if !ok {
		return reason{}, false
	}
	return reason{category: categoryTestContext, at: at, test: t, helper: helper, sub: sub}, true
}

// deadVar is dead for a local variable.
func (c *checker) deadVar(q *query, v *types.Var) (reason, bool) {
	if v == nil || v.IsField() {
		return reason{}, false
	}
	if q.reg == nil {
		if i, ok := q.params[v]; ok && !c.idx.Opaque(v) && len(c.idx.Assignments(v)) == 0 {
			return reason{fromCtx: true, param: i}, true
		}
	}
	// A parameter's value comes from the caller.
	if testmodel.IsPackageLevel(v) || isParam(v) {
		return reason{}, false
	}
	return c.deadValues(q, v, false)
}

// deadField is dead for a struct field: every value it is given, all in
// the function that registers the cleanup, is cancelled.
func (c *checker) deadField(q *query, v *types.Var) (reason, bool) {
	if v == nil || v.Pkg() != c.pass.Pkg {
		return reason{}, false
	}
	return c.deadValues(q, v, true)
}

// deadValues is dead when every value that v, a variable or a field, is
// assigned is; it follows v once per query.
func (c *checker) deadValues(q *query, v *types.Var, field bool) (reason, bool) {
	if q.seen[v] {
		return reason{}, false
	}
	as := c.valuesOf(v)
	if len(as) == 0 {
		return reason{}, false
	}
	if q.seen == nil {
		q.seen = make(map[*types.Var]bool)
	}
	q.seen[v] = true
	defer delete(q.seen, v)
	if len(as) > 1 {
		q.branched = true
	}
	return c.deadAssigns(q, as, field)
}

// deadAssigns is dead when every one of the assignments is.
func (c *checker) deadAssigns(q *query, as []funcindex.Assignment, sameFunc bool) (reason, bool) {
	var first reason
	for i, a := range as {
		if sameFunc && a.In != q.reg.fn {
			return reason{}, false
		}
		saved := q.entry
		var r reason
		var ok bool
		if a.Result >= 0 {
			if call, isCall := ast.Unparen(a.Value).(*ast.CallExpr); isCall {
				r, ok = c.deadResult(q, call, a.Result)
			}
		} else {
			r, ok = c.dead(q, a.Value)
		}
		if !ok && q.reg != nil {
			q.entry = saved
			r, ok = c.cancelled(q, a)
		}
		if !ok {
			return reason{}, false
		}
		if i == 0 {
			first = r
		} else if q.reg == nil && (r.fromT != first.fromT || r.param != first.param || r.field != first.field) {
			return reason{}, false
		}
	}
	return first, true
}

// cancelled reports whether a is ctx, cancel := context.WithCancel(...)
// (or WithTimeout, ...) in the function that registers the cleanup, and
// that function defers cancel or calls it, in its own top-level statements.
func (c *checker) cancelled(q *query, a funcindex.Assignment) (reason, bool) {
	st, ok := a.Stmt.(*ast.AssignStmt)
	if !ok || a.Result != 0 || len(st.Lhs) != 2 || len(st.Rhs) != 1 || a.In != q.reg.fn {
		return reason{}, false
	}
	call, ok := ast.Unparen(a.Value).(*ast.CallExpr)
	if !ok {
		return reason{}, false
	}
	if fn, _ := c.callee(call); !knowledge.CancelsDerived(fn) {
		return reason{}, false
	}
	id, ok := st.Lhs[1].(*ast.Ident)
	if !ok {
		return reason{}, false
	}
	cv := testmodel.VarOf(c.info, id)
	if cv == nil || cv.IsField() || len(c.valuesOf(cv)) != 1 {
		return reason{}, false
	}
	for _, s := range a.In.Body.List {
		switch s := s.(type) {
		case *ast.DeferStmt:
			if c.callsVar(s.Call, cv) {
				return reason{category: categoryDeferredCancel, at: s, cancel: id.Name, deferred: true}, true
			}
			if lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok && len(s.Call.Args) == 0 {
				for _, ls := range lit.Body.List {
					if es, ok := ls.(*ast.ExprStmt); ok {
						if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && c.callsVar(call, cv) {
							return reason{category: categoryDeferredCancel, at: s, cancel: id.Name, deferred: true}, true
						}
					}
				}
			}
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && c.callsVar(call, cv) {
				return reason{category: categoryDeferredCancel, at: s, cancel: id.Name}, true
			}
		}
	}
	return reason{}, false
}

// callsVar reports whether call calls the function variable v.
func (c *checker) callsVar(call *ast.CallExpr, v *types.Var) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok && c.info.Uses[id] == v
}

// A testRef names a test: the testing value held by a variable (method
// ""), or returned by a method of a variable (s.T()).
type testRef struct {
	v      *types.Var
	method string
}

// testRef returns the test that the testing value e denotes, following
// local aliases (tb := testing.TB(t)); subst maps a method's receiver to
// the variable of the method value being registered.
func (c *checker) testRef(e ast.Expr, subst map[*types.Var]*types.Var, depth int) (testRef, bool) {
	if depth > maxDepth {
		return testRef{}, false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := c.info.Uses[e].(*types.Var)
		if !ok {
			return testRef{}, false
		}
		if s, ok := subst[v]; ok {
			v = s
		}
		if value, ok := c.onlyValue(v); ok && testmodel.IsTestingType(c.info.TypeOf(value)) {
			return c.testRef(value, nil, depth+1)
		}
		return testRef{v: v}, true
	case *ast.CallExpr:
		if tv, ok := c.info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return c.testRef(e.Args[0], subst, depth+1) // testing.TB(t)
		}
		sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
		if !ok || len(e.Args) != 0 || !testmodel.IsTestingType(c.info.TypeOf(e)) {
			return testRef{}, false
		}
		x, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok {
			return testRef{}, false
		}
		v, ok := c.info.Uses[x].(*types.Var)
		if !ok {
			return testRef{}, false
		}
		if s, ok := subst[v]; ok {
			v = s
		}
		return testRef{v: v, method: sel.Sel.Name}, true
	}
	return testRef{}, false
}

// testOperand returns, for a summary, the operand of the function whose
// testing value t is: the parameter itself, or the testing value in its
// field (h.t of a receiver h), the parameter never assigned.
func (c *checker) testOperand(q *query, t ast.Expr) (param int, field string, ok bool) {
	if sel, isSel := ast.Unparen(t).(*ast.SelectorExpr); isSel {
		if c.testingField(sel) == nil {
			return 0, "", false
		}
		t, field = sel.X, sel.Sel.Name
	}
	ref, ok := c.testRef(t, nil, 0)
	if field != "" {
		// h.t: h is the parameter, not a testing value.
		v, isVar := c.info.Uses[identOf(t)].(*types.Var)
		ref, ok = testRef{v: v}, isVar
	}
	i, isParam := q.params[ref.v]
	if !ok || !isParam || ref.method != "" || len(c.idx.Assignments(ref.v)) > 0 || c.idx.Opaque(ref.v) {
		return 0, "", false
	}
	return i, field, true
}

// identOf returns e as an identifier, or nil.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// testingField returns the field that sel selects when it holds a testing
// value; nil otherwise.
func (c *checker) testingField(sel *ast.SelectorExpr) *types.Var {
	s := c.info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || !testmodel.IsTestingType(s.Type()) {
		return nil
	}
	v, _ := s.Obj().(*types.Var)
	return v
}

// testOf returns the test of the testing value e, as the cleanup of reg
// sees it: a variable, an accessor (s.T()), or a field (h.t).
func (c *checker) testOf(reg *registration, e ast.Expr) (testRef, bool) {
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		if v := c.testingField(sel); v != nil {
			return c.fieldTest(reg, sel.X, v)
		}
	}
	return c.testRef(e, reg.subst, 0)
}

// fieldTest returns the test whose testing value x's field v holds: the
// value the composite literal that x's variable is given sets it to
// (c := &cluster{t: t}), when no statement sets the field; or the test of
// every value the field is given, when they all are in the function that
// registers the cleanup.
func (c *checker) fieldTest(reg *registration, x ast.Expr, v *types.Var) (testRef, bool) {
	if test, ok := c.constructedField(x, v, reg.subst); ok {
		return test, true
	}
	if v.Pkg() != c.pass.Pkg {
		return testRef{}, false // it may be set in its own package
	}
	if !c.setOnlyByLiterals(v) {
		return c.fieldTestIn(reg, v)
	}
	if value, ok := c.literalFieldOf(x, v, reg.subst); ok {
		return c.testRef(value, nil, 0)
	}
	return c.fieldTestIn(reg, v)
}

// setOnlyByLiterals reports whether only composite literals of the
// package set the field v: what a literal gives it, it keeps.
func (c *checker) setOnlyByLiterals(v *types.Var) bool {
	return v.Pkg() == c.pass.Pkg && !c.setByStatementHere(v)
}

// setByStatementHere reports whether this package sets the field v other
// than in a composite literal: by an assignment, or through its address.
func (c *checker) setByStatementHere(v *types.Var) bool {
	if c.idx.Opaque(v) {
		return true
	}
	for _, a := range c.idx.Assignments(v) {
		if _, ok := a.Stmt.(*ast.CompositeLit); !ok {
			return true
		}
	}
	return false
}

// literalFieldOf returns the value that the composite literal x is, or
// that x's variable is only ever given, sets the field v to (&harness{t:
// t}); subst maps a helper literal's parameters to the cleanup's
// variables.
func (c *checker) literalFieldOf(x ast.Expr, v *types.Var, subst map[*types.Var]*types.Var) (ast.Expr, bool) {
	value := x
	if xv, ok := c.info.Uses[identOf(x)].(*types.Var); ok {
		if s, ok := subst[xv]; ok {
			xv = s
		}
		if value, ok = c.onlyValue(xv); !ok {
			return nil, false
		}
	}
	if u, ok := ast.Unparen(value).(*ast.UnaryExpr); ok && u.Op == token.AND {
		value = u.X
	}
	lit, ok := ast.Unparen(value).(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok && c.info.Uses[identOf(kv.Key)] == v {
			return kv.Value, true
		}
	}
	return nil, false
}

// constructedField returns the test whose testing value x's field v holds
// when x's variable is only ever given the result of a constructor that
// keeps its testing operand there (h := newHarness(t), its Holds fact).
func (c *checker) constructedField(x ast.Expr, v *types.Var, subst map[*types.Var]*types.Var) (testRef, bool) {
	xv, ok := c.info.Uses[identOf(x)].(*types.Var)
	if !ok {
		return testRef{}, false
	}
	if s, ok := subst[xv]; ok {
		xv = s
	}
	// The constructor's package sets the field only in literals, its fact
	// says; an exported one may be set here too.
	if isParam(xv) || testmodel.IsPackageLevel(xv) || xv.IsField() || c.setByStatementHere(v) {
		return testRef{}, false
	}
	as := c.valuesOf(xv)
	if len(as) != 1 {
		return testRef{}, false
	}
	call, ok := ast.Unparen(as[0].Value).(*ast.CallExpr)
	if !ok {
		return testRef{}, false
	}
	fn, operands := c.callee(call)
	if fn == nil {
		return testRef{}, false
	}
	for _, h := range c.factOf(fn).Holds {
		if h.Result == max(as[0].Result, 0) && h.Field == v.Name() && h.T < len(operands) {
			return c.testRef(operands[h.T], nil, 0)
		}
	}
	return testRef{}, false
}

// fieldTestIn returns the test whose testing value the field v holds: every
// value it is given in the package, all in the function that registers
// the cleanup, is that test's (s.t = t in a suite's setup that registers
// it).
func (c *checker) fieldTestIn(reg *registration, v *types.Var) (testRef, bool) {
	as := c.valuesOf(v)
	if len(as) == 0 {
		return testRef{}, false
	}
	var test testRef
	for i, a := range as {
		if a.In != reg.fn || a.Result >= 0 {
			return testRef{}, false
		}
		ref, ok := c.testRef(a.Value, nil, 0)
		if !ok || ref.method != "" || i > 0 && ref != test {
			return testRef{}, false
		}
		test = ref
	}
	return test, true
}

// within reports whether test is reg or one of its subtests (sub).
func (c *checker) within(test, reg testRef) (sub, ok bool) {
	for i := 0; i < maxDepth; i++ {
		if test == reg {
			return i > 0, true
		}
		if test.method != "" {
			return false, false
		}
		parent, ok := c.parentT[test.v]
		if !ok {
			return false, false
		}
		if test, ok = c.testRef(parent, nil, 0); !ok {
			return false, false
		}
	}
	return false, false
}
