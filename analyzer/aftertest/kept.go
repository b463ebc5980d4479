package aftertest

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// keptCallbacks checks the callbacks that test code hands to a value that
// keeps them (a watcher's OnChange, a subscription, a consumer's handler)
// and starts on goroutines that outlive the start (w.Start()): they run
// whenever the value's goroutines call them, and a value the test never
// stops goes on calling them after the test.
func (c *checker) keptCallbacks() {
	for _, kr := range c.sums.KeptRuns() {
		if !kr.Lasting || !c.inScope(kr.In) || c.keptByStd(kr.Site) || c.servesConnections(kr.Runs) {
			continue
		}
		for _, op := range c.sums.KeptOperands(kr.Site, kr.Stored) {
			c.keptCallback(kr, op)
		}
	}
}

// keptByStd reports whether the standard library keeps the callback: its
// servers keep handlers, which run while a request the test sends is
// served, and the test waits for its requests.
func (c *checker) keptByStd(site summary.Site) bool {
	fn := site.Ref.Func
	return fn != nil && fn.Pkg() != nil && knowledge.IsStd(fn.Pkg().Path())
}

// servesConnections reports whether runs, or the goroutine it starts,
// serves a listener or a connection it is given (s.Serve(ln),
// s.ServeConn(c)): the callbacks it keeps are a server's handlers, which
// run for the requests the test sends on them, and the test waits for
// what it sent. Whether it waits for every one is not told.
func (c *checker) servesConnections(runs *ast.CallExpr) bool {
	calls := []*ast.CallExpr{runs}
	if lit, ok := ast.Unparen(runs.Fun).(*ast.FuncLit); ok {
		if fn := c.idx.Func(lit); fn != nil {
			calls = fn.Calls
		}
	}
	for _, call := range calls {
		for _, arg := range call.Args {
			if t := c.pass.TypesInfo.TypeOf(arg); t != nil && (hasMethods(t, "Accept", "Addr") || hasMethods(t, "Read", "Write", "RemoteAddr")) {
				return true
			}
		}
	}
	return false
}

// hasMethods reports whether values of type t have all the methods named.
func hasMethods(t types.Type, names ...string) bool {
	for _, name := range names {
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
		if _, ok := obj.(*types.Func); !ok {
			return false
		}
	}
	return true
}

// keptCallback checks op, a callback that kr keeps and runs on lasting
// goroutines, when it is a function literal of the test that uses it.
func (c *checker) keptCallback(kr summary.KeptRun, op ast.Expr) {
	ref, ok := c.idx.Resolve(op)
	if !ok || ref.Lit == nil {
		return
	}
	fn := c.idx.Func(ref.Lit)
	if fn == nil {
		return
	}
	u, found := c.goroutineUse(ref.Lit, c.withLiterals(fn), nil)
	if !found {
		return
	}
	o := c.ownerOf(kr.In)
	if o == nil || o.synctest && u.kind == reachLog && u.src.v == o.t {
		return
	}
	if c.operandStopped(o, kr) {
		return
	}
	switch {
	case kr.Owner == nil:
		// Nothing holds what runs it: stoppable only when the call's
		// result, which could stop it, was kept.
		if kr.Runs != kr.Site.Call || !c.discardsResult(o, kr.Runs) {
			return
		}
	case kr.Owner.IsField() || testmodel.IsPackageLevel(kr.Owner) || c.stopped(o, kr):
		return
	}
	if g := c.idx.GoOf(kr.Runs); g != nil {
		// go func() { ch <- s.Run() }(): the goroutine that runs them
		// may be one the test waits for.
		var bodies []*funcindex.Func
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			if fn := c.idx.Func(lit); fn != nil {
				bodies = c.withLiterals(fn)
			}
		}
		if joined, _ := c.joined(o, g, g.Call, bodies, g.Call, false); joined {
			return
		}
	}
	c.reportKept(o, kr, u)
}

// stopped reports whether o's code may stop what runs kr's callbacks:
// it uses the owner again after the start, or in a defer or a cleanup
// (defer w.Close() before w.Start()). Whether that stop waits for the
// goroutines is not told: a use is enough to stay silent.
func (c *checker) stopped(o *owner, kr summary.KeptRun) bool {
	return c.usedAfter(o, kr.Owner, kr.Runs, kr.Site.Call)
}

// operandStopped reports whether a value that kr's keeping call is given
// (other than the callback and the test) is used again after the start,
// or in a defer or a cleanup: natsQueueSub(t, nc, subj, queue, cb) keeps
// cb in a subscription of nc, and defer nc.Close() stops it.
func (c *checker) operandStopped(o *owner, kr summary.KeptRun) bool {
	info := c.pass.TypesInfo
	for _, op := range kr.Site.Operands {
		if _, isLit := ast.Unparen(op).(*ast.FuncLit); isLit {
			continue
		}
		e := ast.Unparen(op)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X // &nc
		}
		v := testmodel.RootVar(info, e)
		if v == nil || v == kr.Owner || testmodel.IsTestingType(v.Type()) || funcindex.IsFunc(v.Type()) {
			continue
		}
		if c.usedAfter(o, v, kr.Runs, kr.Site.Call) {
			return true
		}
	}
	return false
}

// usedAfter reports whether o's code uses v after the call start, or in a
// defer or a cleanup anywhere; uses inside start and the nodes in except
// do not count.
func (c *checker) usedAfter(o *owner, v *types.Var, start ast.Node, except ...ast.Node) bool {
	info := c.pass.TypesInfo
	found := false
	var stack []ast.Node
	ast.Inspect(o.fn.Root().Node, func(n ast.Node) bool {
		if found {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != v || within(id.Pos(), start) {
			return true
		}
		for _, e := range except {
			if within(id.Pos(), e) {
				return true
			}
		}
		if id.Pos() > start.End() || c.inTeardown(stack) {
			found = true
		}
		return true
	})
	return found
}

// inTeardown reports whether the innermost node of stack is in a defer
// statement or in a function handed to t.Cleanup.
func (c *checker) inTeardown(stack []ast.Node) bool {
	for _, n := range stack {
		switch n := n.(type) {
		case *ast.DeferStmt:
			return true
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Cleanup" && testmodel.IsTestingType(c.pass.TypesInfo.TypeOf(sel.X)) {
				return true
			}
		}
	}
	return false
}

// discardsResult reports whether call, a statement of o's code, returns a
// result that it drops: watch.Watch(cb) returns the watcher that could
// stop it.
func (c *checker) discardsResult(o *owner, call *ast.CallExpr) bool {
	sig, ok := c.pass.TypesInfo.TypeOf(call.Fun).(*types.Signature)
	return ok && sig.Results().Len() > 0 && c.isStatement(o, call)
}

// reportKept reports kr's start, which runs the callback that uses the
// test (u) on goroutines that nothing stops.
func (c *checker) reportKept(o *owner, kr summary.KeptRun, u use) {
	if c.reported[kr.Runs.Pos()] {
		return // kept twice (in the subscription and in the connection): one finding
	}
	c.reported[kr.Runs.Pos()] = true
	keeps, runs := analysisutil.CalleeName(kr.Site.Call), analysisutil.CalleeName(kr.Runs)
	holder, stop := "what it returns", "keep what it returns and stop it"
	if kr.Owner != nil {
		holder, stop = kr.Owner.Name(), "stop "+kr.Owner.Name()
	}
	where := fmt.Sprintf("%s keeps the function and %s (line %d) runs it on goroutines of %s that the test never stops", keeps, runs, c.line(kr.Runs.Pos()), holder)
	if kr.Runs == kr.Site.Call {
		where = fmt.Sprintf("%s keeps the function and runs it on goroutines of %s that the test never stops", keeps, holder)
	}
	advice := stop + " before the test ends, with a method that waits for its goroutines (in t.Cleanup)"
	related := []analysis.RelatedInformation{{Pos: kr.Site.Call.Pos(), End: kr.Site.Call.End(), Message: "the function is kept here"}}
	if kr.Runs == kr.Site.Call {
		related = nil
	}
	c.reportWhere(o, kr.Runs, u, where, advice, related, nil)
}
