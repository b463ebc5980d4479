package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A parallelSubtest is a place where a function starts subtests that may call
// t.Parallel: a t.Run call, or the call of a helper that makes them.
type parallelSubtest struct {
	Start *ast.CallExpr // the t.Run call, or the helper call
	T     ast.Expr      // the parent's testing value, on whose test they run
	Name  ast.Expr      // t.Run's name argument; nil when a helper starts them
	// Parallel is where the subtest becomes parallel: its t.Parallel() call
	// or the call (in its body) of a helper that makes it. For code in
	// other packages, it is Start.
	Parallel ast.Node
	// Uses are the variables of enclosing functions that the subtests use
	// once they are parallel: free variables of the body (and of local
	// closures it calls), the receiver of a method value, the arguments a
	// helper hands to its subtests.
	Uses []*types.Var
}

// subtests returns the subtests that body itself (not a function
// literal inside it) starts and that may call t.Parallel, in source order.
func (p *parallelism) subtests(body *ast.BlockStmt) []parallelSubtest {
	return p.parallelSubtests(body, true, 0)
}

// parallelSubtests is subtests, leaving Uses empty unless asked;
// depth bounds how deep it follows local closures.
func (p *parallelism) parallelSubtests(body *ast.BlockStmt, uses bool, depth int) []parallelSubtest {
	var out []parallelSubtest
	for _, site := range p.sitesOf(body) {
		if t := site.Run(); t != nil {
			call := site.Call
			if st, ok := p.runSubtest(call, t, call.Args[0], call.Args[1], uses); ok {
				out = append(out, st)
			}
			continue
		}
		if !site.Resolved {
			continue
		}
		call, ref, operands := site.Call, site.Ref, site.Operands
		if ref.Lit != nil && site.Go == nil && depth < 4 {
			out = append(out, p.closureSubtests(call, ref.Lit, operands, uses, depth)...)
		}
		subtests := p.of(ref).Subtests
		if len(subtests) == 0 {
			continue
		}
		params := len(p.index.Params(ref))
		variadic := p.index.Variadic(ref)
		for _, su := range subtests {
			if su.T >= len(operands) {
				continue
			}
			st := parallelSubtest{Start: call, T: operands[su.T], Parallel: call}
			for i, op := range operands {
				if !uses {
					break
				}
				if su.Uses.Has(funcindex.ParamIndex(i, params, variadic)) {
					st.Uses = p.vars(op, st.Uses)
				}
			}
			out = append(out, st)
		}
	}
	return out
}

// closureSubtests returns the parallel subtests that a call of a local
// closure starts on a testing value the closure captured:
//
//	run := func(name string, f func(*testing.T)) {
//		t.Run(name, func(t *testing.T) { t.Parallel(); f(t) })
//	}
//	run("get", func(t *testing.T) { http.Get(ts.URL) })
//
// What they use is what the closure's subtests use, with the closure's
// parameters replaced by what the call passes them.
func (p *parallelism) closureSubtests(call *ast.CallExpr, lit *ast.FuncLit, operands []ast.Expr, uses bool, depth int) []parallelSubtest {
	info := p.info
	params := p.index.Params(funcindex.Ref{Lit: lit})
	var out []parallelSubtest
	for _, inner := range p.parallelSubtests(lit.Body, uses, depth+1) {
		if t := testmodel.RootVar(info, inner.T); t == nil || !declaredOutside(t, lit) {
			continue // started on the closure's own parameter: its summary says so
		}
		st := parallelSubtest{Start: call, T: inner.T, Parallel: call}
		for _, v := range inner.Uses {
			switch i := slices.Index(params, v); {
			case i >= 0 && i < len(operands):
				st.Uses = p.vars(operands[i], st.Uses)
			case declaredOutside(v, lit) && !slices.Contains(st.Uses, v):
				st.Uses = append(st.Uses, v)
			}
		}
		out = append(out, st)
	}
	return out
}

// runSubtest describes t.Run(name, fn) if fn may call t.Parallel: fn is
// any code the value may be (a table entry's function, a closure a helper
// hands back), and the subtest uses what each of them uses.
func (p *parallelism) runSubtest(call *ast.CallExpr, t, name, fn ast.Expr, uses bool) (parallelSubtest, bool) {
	st := parallelSubtest{Start: call, T: t, Name: name, Parallel: call}
	found := false
	for _, target := range p.index.TargetsVia(fn) {
		ref := target.Ref
		tparam := len(ref.Bound) // the subtest's *testing.T follows a method value's receiver
		if !p.of(ref).Parallel.Has(tparam) {
			continue
		}
		found = true
		if !uses {
			break
		}
		n := p.parallelNode(ref, tparam)
		if n != nil && st.Parallel == call {
			st.Parallel = n
		}
		if ref.Lit != nil {
			// What the body does before it calls t.Parallel runs while the
			// parent still runs; only later uses race with the parent's end.
			from := token.NoPos
			if n != nil && n.Pos() >= ref.Lit.Pos() && n.End() <= ref.Lit.End() {
				from = n.Pos()
			}
			st.Uses = p.handedBack(target, p.freeVars(ref.Lit, from, nil), st.Uses)
		}
		for _, b := range ref.Bound {
			st.Uses = p.vars(b, st.Uses)
		}
	}
	return st, found
}

// handedBack appends to out the variables that free, the free variables
// of the closure target runs, stand for: for a closure a helper handed
// back (mk(ts.URL) returning func(t *testing.T) { ... url ... }), the
// variables of what the helper's call passes its parameters; else free.
func (p *parallelism) handedBack(target funcindex.Target, free, out []*types.Var) []*types.Var {
	if target.Via == nil {
		for _, v := range free {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	ref, operands, ok := p.index.Callee(target.Via)
	if !ok {
		return out
	}
	params := p.index.Params(ref)
	for _, v := range free {
		if i := slices.Index(params, v); i >= 0 && i < len(operands) {
			out = p.vars(operands[i], out)
		}
	}
	return out
}

// parallelNode returns the call in ref's body that makes the test of its
// operand i parallel: t.Parallel() or a helper call that calls it. It is nil
// if ref's body is not in this package.
func (p *parallelism) parallelNode(ref funcindex.Ref, i int) ast.Node {
	var found ast.Node
	p.parallelCalls(ref, i, func(call *ast.CallExpr, _ funcindex.Ref, _ int) bool {
		found = call
		return false
	})
	return found
}

// parallelCalls calls f, in source order until it returns false, for each
// call in ref's body that makes the test of ref's operand i parallel:
// t.Parallel() (callee is the zero Ref), or a call passing the testing
// value as operand j of a callee that makes that operand's test parallel.
func (p *parallelism) parallelCalls(ref funcindex.Ref, i int, f func(call *ast.CallExpr, callee funcindex.Ref, j int) bool) {
	params := p.index.Params(ref)
	if i < 0 || i >= len(params) {
		return
	}
	target := params[i]
	info := p.info
	for _, site := range p.sitesOf(p.index.Body(ref)) {
		if t := site.Parallel(); t != nil {
			if testmodel.VarOf(info, t) == target && !f(site.Call, funcindex.Ref{}, -1) {
				return
			}
			continue
		}
		if !site.Resolved {
			continue
		}
		par := p.of(site.Ref).Parallel
		for j, op := range site.Operands {
			if par.Has(j) && testmodel.VarOf(info, op) == target && !f(site.Call, site.Ref, j) {
				return
			}
		}
	}
}

// vars appends to vars the local variables that expr uses, directly or
// through the local closures it refers to.
func (p *parallelism) vars(expr ast.Node, vars []*types.Var) []*types.Var {
	c := collector{p: p, out: vars}
	c.collect(expr, token.NoPos, func(*types.Var) bool { return true })
	return c.out
}

// freeVars appends to vars the variables declared outside lit that lit's
// body uses at or after from, directly or through local closures.
func (p *parallelism) freeVars(lit *ast.FuncLit, from token.Pos, vars []*types.Var) []*types.Var {
	c := collector{p: p, lits: []*ast.FuncLit{lit}, out: vars}
	c.collect(lit.Body, from, func(v *types.Var) bool { return v.Pos() < lit.Pos() || v.Pos() >= lit.End() })
	return c.out
}

// collector gathers variables; the sets are small, so slices serve.
type collector struct {
	p    *parallelism
	lits []*ast.FuncLit // closures already followed
	out  []*types.Var
}

func (c *collector) collect(n ast.Node, from token.Pos, keep func(*types.Var) bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || id.Pos() < from {
			return true
		}
		v, _ := c.p.info.Uses[id].(*types.Var)
		if v == nil || v.IsField() || testmodel.IsPackageLevel(v) {
			return true
		}
		if keep(v) && !slices.Contains(c.out, v) {
			c.out = append(c.out, v)
		}
		// A closure held in a variable uses what its body uses.
		for _, b := range c.p.index.Bindings(v) {
			if lit, ok := ast.Unparen(b).(*ast.FuncLit); ok && !slices.Contains(c.lits, lit) {
				c.lits = append(c.lits, lit)
				c.collect(lit.Body, token.NoPos, keep)
			}
		}
		return true
	})
}

// declaredOutside reports whether v is declared outside lit.
func declaredOutside(v *types.Var, lit *ast.FuncLit) bool {
	return v.Pos() < lit.Pos() || v.Pos() >= lit.End()
}
