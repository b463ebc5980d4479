package cleanupctx

import (
	"go/ast"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Fact is what a function does with cleanups and contexts, as its callers
// see it. Operands are indexes into the parameters (the receiver is not
// one). It is exported for the functions that do any of it.
type Fact struct {
	// Cleanups: the function registers its function parameter Func with
	// Cleanup on its testing parameter T.
	Cleanups []Registration
	// Results: the function returns, as result Result, the Context() of
	// its testing parameter T, or a context derived from its context
	// parameter Ctx (the other is -1).
	Results []Result
	// CleanupUses: the function uses its context parameter Ctx in a
	// cleanup it registers on its testing parameter T.
	CleanupUses []CleanupUse
}

// Registration says that parameter Func is registered on parameter T's test.
type Registration struct{ Func, T int }

// Result says where a context result comes from.
type Result struct{ Result, T, Ctx int }

// CleanupUse says that context parameter Ctx is used in a cleanup
// registered on parameter T's test.
type CleanupUse struct{ Ctx, T int }

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "cleanup=1:t=0 result=0:t=0 result=0:ctx=1 cleanupuse=1:t=0".
func (f *Fact) String() string {
	var parts []string
	for _, r := range f.Cleanups {
		parts = append(parts, "cleanup="+strconv.Itoa(r.Func)+":t="+strconv.Itoa(r.T))
	}
	for _, r := range f.Results {
		if r.T >= 0 {
			parts = append(parts, "result="+strconv.Itoa(r.Result)+":t="+strconv.Itoa(r.T))
		} else {
			parts = append(parts, "result="+strconv.Itoa(r.Result)+":ctx="+strconv.Itoa(r.Ctx))
		}
	}
	for _, u := range f.CleanupUses {
		parts = append(parts, "cleanupuse="+strconv.Itoa(u.Ctx)+":t="+strconv.Itoa(u.T))
	}
	return strings.Join(parts, " ")
}

func (f *Fact) empty() bool {
	return len(f.Cleanups) == 0 && len(f.Results) == 0 && len(f.CleanupUses) == 0
}

var noFact Fact

// factOf returns what calling fn does; never nil.
func (c *checker) factOf(fn *types.Func) *Fact {
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return &noFact
	}
	if fn.Pkg() != c.pass.Pkg {
		if f, ok := c.imported[fn]; ok {
			return f
		}
		f := &noFact
		if imp := new(Fact); c.pass.ImportObjectFact(fn, imp) {
			f = imp
		}
		c.imported[fn] = f
		return f
	}
	if f, ok := c.facts[fn]; ok {
		return f
	}
	d := c.decls[fn]
	if d == nil || c.busy[fn] || !summarized(fn) {
		return &noFact // recursion: what is known so far is nothing
	}
	c.busy[fn] = true
	f := c.summarize(fn, d)
	delete(c.busy, fn)
	c.facts[fn] = f
	return f
}

// summarized reports whether fn may have a fact: it takes a testing value,
// or returns a context.
func summarized(fn *types.Func) bool {
	sig := fn.Signature()
	for v := range sig.Results().Variables() {
		if knowledge.IsContext(v.Type()) {
			return true
		}
	}
	for v := range sig.Params().Variables() {
		if testmodel.IsTestingType(v.Type()) {
			return true
		}
	}
	return false
}

// summarize computes the fact of a function of the package.
func (c *checker) summarize(fn *types.Func, d *ast.FuncDecl) *Fact {
	sig := fn.Signature()
	params := make(map[*types.Var]int)
	for i := range sig.Params().Len() {
		if sig.Variadic() && i == sig.Params().Len()-1 {
			break
		}
		params[sig.Params().At(i)] = i
	}
	f := &Fact{}
	paramOf := func(e ast.Expr) (int, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return 0, false
		}
		v, ok := c.info.Uses[id].(*types.Var)
		if !ok {
			return 0, false
		}
		i, ok := params[v]
		return i, ok
	}
	testParam := func(e ast.Expr) (int, bool) {
		ref, ok := c.testRef(e, nil, 0)
		if !ok || ref.method != "" {
			return 0, false
		}
		i, ok := params[ref.v]
		return i, ok
	}

	// The calls of the function's own body, not of the literals in it,
	// which may run at any time or never.
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, ca := range c.cleanupArgs(call) {
			j, ok := testParam(ca.t)
			if !ok {
				continue
			}
			if i, ok := paramOf(ca.fn); ok {
				f.addCleanup(i, j)
			} else if lit, ok := ast.Unparen(ca.fn).(*ast.FuncLit); ok {
				// t.Cleanup(func() { if err := f(); err != nil { ... } })
				ast.Inspect(lit.Body, func(n ast.Node) bool {
					if _, ok := n.(*ast.FuncLit); ok {
						return false
					}
					if inner, ok := n.(*ast.CallExpr); ok && len(inner.Args) == 0 {
						if i, ok := paramOf(inner.Fun); ok {
							f.addCleanup(i, j)
						}
					}
					return true
				})
				// The context parameters the cleanup uses.
				ast.Inspect(lit.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					for _, k := range c.contextArgs(call) {
						q := &query{params: params}
						if r, ok := c.dead(q, call.Args[k]); ok && r.fromCtx {
							f.addCleanupUse(r.param, j)
						}
					}
					return true
				})
			}
		}
		// A helper that uses a context in a cleanup, given ours.
		if callee := c.calleeFunc(call); callee != nil {
			for _, u := range c.factOf(callee).CleanupUses {
				if u.Ctx >= len(call.Args) || u.T >= len(call.Args) {
					continue
				}
				j, ok := testParam(call.Args[u.T])
				if !ok {
					continue
				}
				q := &query{params: params}
				if r, ok := c.dead(q, call.Args[u.Ctx]); ok && r.fromCtx {
					f.addCleanupUse(r.param, j)
				}
			}
		}
		return true
	})

	// Context results that come from a parameter on every return.
	rets := c.rets[d]
	n := sig.Results().Len()
	for k := range n {
		if !knowledge.IsContext(sig.Results().At(k).Type()) || len(rets) == 0 {
			continue
		}
		var first reason
		ok := true
		for i, ret := range rets {
			q := &query{params: params}
			var r reason
			var dead bool
			switch {
			case len(ret.Results) == n:
				r, dead = c.dead(q, ret.Results[k])
			case len(ret.Results) == 1 && n > 1:
				if call, isCall := ast.Unparen(ret.Results[0]).(*ast.CallExpr); isCall {
					r, dead = c.deadResult(q, call, k)
				}
			}
			if !dead || i > 0 && (r.fromT != first.fromT || r.param != first.param) {
				ok = false
				break
			}
			first = r
		}
		if !ok {
			continue
		}
		res := Result{Result: k, T: -1, Ctx: -1}
		if first.fromT {
			res.T = first.param
		} else {
			res.Ctx = first.param
		}
		f.Results = append(f.Results, res)
	}
	return f
}

func (f *Fact) addCleanup(i, j int) {
	if r := (Registration{Func: i, T: j}); !slices.Contains(f.Cleanups, r) {
		f.Cleanups = append(f.Cleanups, r)
	}
}

func (f *Fact) addCleanupUse(i, j int) {
	if u := (CleanupUse{Ctx: i, T: j}); !slices.Contains(f.CleanupUses, u) {
		f.CleanupUses = append(f.CleanupUses, u)
	}
}

// exportFacts exports the facts of the package's functions.
func (c *checker) exportFacts() {
	for _, fn := range c.order {
		if f := c.factOf(fn); !f.empty() {
			c.pass.ExportObjectFact(fn, f)
		}
	}
}
