package summary

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A Subtest is a place where a function starts subtests that may call
// t.Parallel: a t.Run call, or the call of a helper that makes them.
type Subtest struct {
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

// ParallelSubtests returns the subtests that body itself (not a function
// literal inside it) starts and that may call t.Parallel, in source order.
func (r *Result) ParallelSubtests(body *ast.BlockStmt) []Subtest {
	info := r.pass.TypesInfo
	var out []Subtest
	OwnCalls(body, func(call *ast.CallExpr) {
		if t, name, fn, ok := testmodel.RunCall(info, call); ok {
			if st, ok := r.runSubtest(call, t, name, fn); ok {
				out = append(out, st)
			}
			return
		}
		ref, operands, ok := r.Funcs.Callee(call)
		if !ok {
			return
		}
		params := len(r.Funcs.Params(ref))
		variadic := r.Funcs.Variadic(ref)
		for _, su := range r.Of(ref).Subtests {
			if su.T >= len(operands) {
				continue
			}
			st := Subtest{Start: call, T: operands[su.T], Parallel: call}
			for i, op := range operands {
				if su.Uses.Has(testmodel.ParamIndex(i, params, variadic)) {
					st.Uses = r.Vars(op, st.Uses)
				}
			}
			out = append(out, st)
		}
	})
	return out
}

// runSubtest describes t.Run(name, fn) if fn may call t.Parallel.
func (r *Result) runSubtest(call *ast.CallExpr, t, name, fn ast.Expr) (Subtest, bool) {
	ref, ok := r.Funcs.Resolve(fn)
	if !ok {
		return Subtest{}, false
	}
	tparam := len(ref.Bound) // the subtest's *testing.T follows a method value's receiver
	if !r.Of(ref).Parallel.Has(tparam) {
		return Subtest{}, false
	}
	st := Subtest{Start: call, T: t, Name: name, Parallel: r.ParallelNode(ref, tparam)}
	if st.Parallel == nil {
		st.Parallel = call
	}
	if ref.Lit != nil {
		// What the body does before it calls t.Parallel runs while the
		// parent still runs; only later uses race with the parent's end.
		from := token.NoPos
		if st.Parallel.Pos() >= ref.Lit.Pos() && st.Parallel.End() <= ref.Lit.End() {
			from = st.Parallel.Pos()
		}
		st.Uses = r.freeVars(ref.Lit, from, st.Uses)
	}
	for _, b := range ref.Bound {
		st.Uses = r.Vars(b, st.Uses)
	}
	return st, true
}

// ParallelNode returns the call in ref's body that makes the test of its
// operand i parallel: t.Parallel() or a helper call that calls it. It is nil
// if ref's body is not in this package.
func (r *Result) ParallelNode(ref testmodel.Ref, i int) ast.Node {
	params := r.Funcs.Params(ref)
	if i < 0 || i >= len(params) {
		return nil
	}
	target := params[i]
	info := r.pass.TypesInfo
	var found ast.Node
	OwnCalls(r.Funcs.Body(ref), func(call *ast.CallExpr) {
		if found != nil {
			return
		}
		if t, ok := testmodel.ParallelCall(info, call); ok {
			if testmodel.VarOf(info, t) == target {
				found = call
			}
			return
		}
		callee, operands, ok := r.Funcs.Callee(call)
		if !ok {
			return
		}
		par := r.Of(callee).Parallel
		for j, op := range operands {
			if par.Has(j) && testmodel.VarOf(info, op) == target {
				found = call
				return
			}
		}
	})
	return found
}

// Vars appends to vars the local variables that expr uses, directly or
// through the local closures it refers to.
func (r *Result) Vars(expr ast.Node, vars []*types.Var) []*types.Var {
	c := collector{r: r, seen: make(map[*types.Var]bool), lits: make(map[*ast.FuncLit]bool), out: vars}
	for _, v := range vars {
		c.seen[v] = true
	}
	c.collect(expr, token.NoPos, func(*types.Var) bool { return true })
	return c.out
}

// freeVars appends to vars the variables declared outside lit that lit's
// body uses at or after from, directly or through local closures.
func (r *Result) freeVars(lit *ast.FuncLit, from token.Pos, vars []*types.Var) []*types.Var {
	c := collector{r: r, seen: make(map[*types.Var]bool), lits: map[*ast.FuncLit]bool{lit: true}, out: vars}
	for _, v := range vars {
		c.seen[v] = true
	}
	c.collect(lit.Body, from, func(v *types.Var) bool { return v.Pos() < lit.Pos() || v.Pos() >= lit.End() })
	return c.out
}

type collector struct {
	r    *Result
	seen map[*types.Var]bool
	lits map[*ast.FuncLit]bool
	out  []*types.Var
}

func (c *collector) collect(n ast.Node, from token.Pos, keep func(*types.Var) bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || id.Pos() < from {
			return true
		}
		v, _ := c.r.pass.TypesInfo.Uses[id].(*types.Var)
		if v == nil || v.IsField() || testmodel.IsPackageLevel(v) {
			return true
		}
		if keep(v) && !c.seen[v] {
			c.seen[v] = true
			c.out = append(c.out, v)
		}
		// A closure held in a variable uses what its body uses.
		for _, b := range c.r.Funcs.Bindings(v) {
			if lit, ok := ast.Unparen(b).(*ast.FuncLit); ok && !c.lits[lit] {
				c.lits[lit] = true
				c.collect(lit.Body, token.NoPos, keep)
			}
		}
		return true
	})
}
