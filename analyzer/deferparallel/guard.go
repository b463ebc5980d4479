package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A guard is what must hold for some code to run, as far as conditions that
// keep their value for a whole test run tell: a package-level variable (a
// flag such as *update, mostly), testing.Short(), testing.Verbose(). Each
// entry says that the condition must be true or false; code under c and
// code under !c never both run in one test run.
type guard map[types.Object]bool

// guards computes the guards of code in one package.
type guards struct {
	info *types.Info
	fam  *parallelism
}

// excludes reports whether code under g and code under o never both run.
func (g guard) excludes(o guard) bool {
	for v, want := range g {
		if got, ok := o[v]; ok && got != want {
			return true
		}
	}
	return false
}

// union returns what holds when both g and o hold.
func (g guard) union(o guard) guard {
	if len(o) == 0 {
		return g
	}
	u := make(guard, len(g)+len(o))
	for v, b := range g {
		u[v] = b
	}
	for v, b := range o {
		u[v] = b
	}
	return u
}

// intersect returns what holds when g or o holds.
func (g guard) intersect(o guard) guard {
	i := make(guard)
	for v, b := range g {
		if ob, ok := o[v]; ok && ob == b {
			i[v] = b
		}
	}
	return i
}

// of returns the conditions under which n runs within the function
// body that holds it: the if statements between them.
func (r *guards) of(n ast.Node, body ast.Node) guard {
	var g guard
	contains := func(x ast.Node) bool { return x.Pos() <= n.Pos() && n.End() <= x.End() }
	ast.Inspect(body, func(x ast.Node) bool {
		if x == nil || x == n || !contains(x) {
			return false
		}
		ifs, ok := x.(*ast.IfStmt)
		if !ok {
			return true
		}
		if g == nil {
			g = make(guard)
		}
		switch {
		case contains(ifs.Body):
			r.addConjuncts(g, ifs.Cond)
		case ifs.Else != nil && contains(ifs.Else):
			if v, want, ok := r.atom(ifs.Cond); ok {
				g[v] = !want
			}
		}
		return true
	})
	return g
}

// addConjuncts records the atoms of a condition known to be true.
func (r *guards) addConjuncts(g guard, cond ast.Expr) {
	if b, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && b.Op == token.LAND {
		r.addConjuncts(g, b.X)
		r.addConjuncts(g, b.Y)
		return
	}
	if v, want, ok := r.atom(cond); ok {
		g[v] = want
	}
}

// atom recognises c and !c for a condition c that keeps its value for a
// whole test run: a package-level variable v or *v, testing.Short(),
// testing.Verbose().
func (r *guards) atom(e ast.Expr) (types.Object, bool, bool) {
	want := true
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			if x.Op != token.NOT {
				return nil, false, false
			}
			want = !want
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.CallExpr:
			if fn := typeutil.StaticCallee(r.info, x); knowledge.IsRunConstant(fn) {
				return fn, want, true
			}
		case *ast.Ident, *ast.SelectorExpr:
			v := testmodel.VarOf(r.info, x)
			if sel, ok := x.(*ast.SelectorExpr); ok && v == nil {
				v, _ = r.info.Uses[sel.Sel].(*types.Var)
			}
			if testmodel.IsPackageLevel(v) {
				return v, want, true
			}
		}
		return nil, false, false
	}
}

// subtest returns the conditions under which the subtests st, started
// in body, run in parallel: those of the call that starts them, and those
// under which their body (or the helper) calls t.Parallel.
func (r *guards) subtest(st parallelSubtest, body ast.Node) guard {
	return r.of(st.Start, body).union(r.start(st, 0))
}

// start is the guard that st's own code adds.
func (r *guards) start(st parallelSubtest, depth int) guard {
	if depth > 4 {
		return nil
	}
	if st.Name != nil { // t.Run(name, body)
		_, _, fn, _ := testmodel.RunCall(r.info, st.Start)
		ref, ok := r.fam.index.Resolve(fn)
		if !ok {
			return nil
		}
		return r.parallel(ref, len(ref.Bound), depth+1)
	}
	// Started by a helper: what holds for every parallel subtest it starts
	// on that test.
	ref, operands, ok := r.fam.index.Callee(st.Start)
	body := r.fam.index.Body(ref)
	if !ok || body == nil {
		return nil
	}
	param := -1
	for i, op := range operands {
		if op == st.T {
			param = i
		}
	}
	params := r.fam.index.Params(ref)
	var g guard
	first := true
	for _, inner := range r.fam.subtests(body) {
		if param < 0 || param >= len(params) || testmodel.VarOf(r.info, inner.T) != params[param] {
			continue
		}
		ig := r.of(inner.Start, body).union(r.start(inner, depth+1))
		if first {
			g, first = ig, false
		} else {
			g = g.intersect(ig)
		}
	}
	return g
}

// parallel returns what holds whenever ref's code makes the test of
// its operand i parallel.
func (r *guards) parallel(ref funcindex.Ref, i int, depth int) guard {
	body := r.fam.index.Body(ref)
	if body == nil || depth > 4 {
		return nil
	}
	var g guard
	first := true
	r.fam.parallelCalls(ref, i, func(call *ast.CallExpr, callee funcindex.Ref, j int) bool {
		cg := r.of(call, body)
		if callee.Valid() {
			cg = cg.union(r.parallel(callee, j, depth+1))
		}
		if first {
			g, first = cg, false
		} else {
			g = g.intersect(cg)
		}
		return true
	})
	return g
}
