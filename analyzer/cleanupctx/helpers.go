package cleanupctx

import (
	"go/ast"
	"go/types"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// checkHelperCalls reports the calls of a cleanup that run, out of its
// sight, code that uses a context cancelled when the cleanup runs: a
// helper that uses the Context() of a testing value it is given (its
// fact), at any depth and in any package, and a function literal of the
// package that uses such a context itself.
func (c *checker) checkHelperCalls(reg *registration) {
	ast.Inspect(reg.body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			h := &helperWalk{reg: reg, top: call, seen: make(map[*ast.FuncLit]bool)}
			c.checkHelperCall(h, reg, call)
		}
		return true
	})
}

// A helperWalk follows one call of a cleanup into the function literals
// it runs, each once: declared helpers are followed through their facts.
type helperWalk struct {
	reg  *registration // the cleanup's
	top  *ast.CallExpr // the call in the cleanup's body, where findings go
	seen map[*ast.FuncLit]bool
}

// checkHelperCall checks call, which h.top runs (or is), and what it runs;
// reg is the registration as the code of call sees it.
func (c *checker) checkHelperCall(h *helperWalk, reg *registration, call *ast.CallExpr) {
	ref, operands, ok := c.idx.Callee(call)
	switch {
	case !ok:
	case ref.Func != nil:
		c.checkHelperFact(reg, h.top, ref.Func, operands)
	case ref.Lit != nil && !reg.inBody(ref.Lit) && !h.seen[ref.Lit]:
		// A literal in the cleanup's body is checked with it.
		h.seen[ref.Lit] = true
		c.checkHelperLiteral(h, c.helperRegistration(reg, ref.Lit, operands), ref.Lit)
	}
}

// checkHelperFact reports top when fn, which it runs, uses the Context()
// of a testing value of the cleanup's test (or of a subtest) it is given.
func (c *checker) checkHelperFact(reg *registration, top *ast.CallExpr, fn *types.Func, operands []ast.Expr) {
	for _, u := range c.factOf(fn).TestContexts {
		if u.T >= len(operands) {
			continue
		}
		test, t, ok := c.operandTest(reg, operands[u.T], u.Field)
		if !ok {
			continue
		}
		if sub, ok := c.within(test, reg.test); ok {
			c.reportHelper(reg, top, fn, u, t, sub)
			return
		}
	}
}

// operandTest returns the test whose testing value a helper's operand e
// hands it, e itself or e's field, and that value's expression. Evaluated
// when the cleanup runs, an accessor (s.T()) may return another test than
// when it was registered: it is not followed.
func (c *checker) operandTest(reg *registration, e ast.Expr, field string) (testRef, string, bool) {
	t := c.cleanupsName(reg, e)
	var test testRef
	ok := false
	if field == "" {
		test, ok = c.testOf(reg, e)
	} else if v := c.fieldNamed(e, field); v != nil {
		t += "." + field
		test, ok = c.fieldTest(reg, e, v)
	}
	return test, t, ok && test.method == ""
}

// cleanupsName returns how the cleanup names e: a helper literal's
// parameter by the variable the cleanup passes it.
func (c *checker) cleanupsName(reg *registration, e ast.Expr) string {
	if v, ok := c.info.Uses[identOf(e)].(*types.Var); ok {
		if s, ok := reg.subst[v]; ok && reg.helper != nil {
			return s.Name()
		}
	}
	return types.ExprString(e)
}

// fieldNamed returns the field of e's struct named name, as a fact names
// it: unexported, it is one of the package that declares the struct.
func (c *checker) fieldNamed(e ast.Expr, name string) *types.Var {
	t := c.info.TypeOf(e)
	named, ok := types.Unalias(knowledge.Deref(t)).(*types.Named)
	if !ok {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, named.Obj().Pkg(), name)
	v, ok := obj.(*types.Var)
	if !ok || !v.IsField() {
		return nil
	}
	return v
}

// helperRegistration returns reg as seen from lit, a function literal the
// cleanup calls with operands: lit's parameters stand for the variables
// the cleanup passes it.
func (c *checker) helperRegistration(reg *registration, lit *ast.FuncLit, operands []ast.Expr) *registration {
	inner := *reg
	inner.helper = lit.Body
	inner.subst = make(map[*types.Var]*types.Var, len(reg.subst))
	for k, v := range reg.subst {
		inner.subst[k] = v
	}
	f := c.idx.Func(lit)
	if f == nil {
		return &inner
	}
	for i, p := range f.Params {
		if i >= len(operands) {
			break
		}
		v, ok := c.info.Uses[identOf(operands[i])].(*types.Var)
		if !ok {
			continue
		}
		if s, ok := reg.subst[v]; ok {
			v = s
		}
		inner.subst[p] = v
	}
	return &inner
}

// checkHelperLiteral reports h.top when lit, a function literal that it
// runs, uses a context cancelled when the cleanup runs, itself or through
// the helpers it calls.
func (c *checker) checkHelperLiteral(h *helperWalk, reg *registration, lit *ast.FuncLit) {
	c.contextUses(lit.Body, func(call *ast.CallExpr, arg ast.Expr) {
		q := &query{reg: reg}
		if r, ok := c.dead(q, arg); ok {
			c.reportHelperLiteral(h.reg, h.top, use{call, arg, r, q})
		}
	})
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			c.checkHelperCall(h, reg, call)
		}
		return true
	})
}
