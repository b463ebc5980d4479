package aftertest

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"golang.org/x/tools/go/types/typeutil"
	"slices"

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
		if !kr.Lasting || !c.inScope(kr.In) || inStd(kr.Site.Ref.Func) || inStd(c.callee(kr.Runs)) || c.servesConnections(kr.Runs) || c.mayCleanUp(kr.Site.Call) || c.mayCleanUp(kr.Runs) {
			continue
		}
		for _, op := range c.sums.KeptOperands(kr.Site, kr.Stored) {
			c.keptCallback(kr, op)
		}
	}
}

// inStd reports whether fn is the standard library's: its servers keep
// handlers, and run them, while a request the test sends is served, and
// the test waits for its requests (httptest.NewServer(mux), srv.Serve(ln)).
func inStd(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && knowledge.IsStd(fn.Pkg().Path())
}

// callee returns the function call calls, or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return fn
}

// mayCleanUp reports whether call is handed a testing value: the helper
// may register a cleanup that stops what it starts (memhttptest.NewServer(t,
// h) shuts its server down in t.Cleanup).
func (c *checker) mayCleanUp(call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if testmodel.IsTestingType(c.pass.TypesInfo.TypeOf(arg)) {
			return true
		}
	}
	return false
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
	u, bodies, found := c.keptUse(kr, op)
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
	holder := kr.Owner
	switch {
	case holder == nil:
		// Nothing holds what runs it: stoppable only when the call's
		// result, which could stop it, was kept.
		if kr.Runs != kr.Site.Call {
			return
		}
		if !c.discardsResult(o, kr.Runs) {
			if holder = c.sums.AssignedTo(kr.Runs); holder == nil {
				return // kept where the test may stop it
			}
		}
	}
	var weak *stop
	if holder != nil {
		if holder.IsField() || testmodel.IsPackageLevel(holder) {
			return
		}
		var stopped bool
		stopped, weak = c.stopped(o, holder, kr)
		if !stopped && kr.Runs != kr.Site.Call {
			// The value that runs them may be another, built from the
			// one that keeps them (c := NewClient(opts); c.Connect()):
			// stopping it stops them.
			if runner := c.runnerOf(kr.Runs); runner != nil && runner != holder && !runner.IsField() && !testmodel.IsPackageLevel(runner) {
				runnerStopped, runnerWeak := c.stopped(o, runner, kr)
				switch {
				case runnerStopped:
					return
				case weak == nil:
					// Named for the value the test would stop.
					holder, weak = runner, runnerWeak
				}
			}
		}
		if stopped || weak != nil && c.signals(bodies, nil) {
			// A callback that tells the test it ran (ch <- m) is one the
			// test may have waited for before the stop.
			return
		}
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
	if weak != nil {
		c.reportKeptStop(o, kr, holder, weak, u, keptNoun(c.pass.TypesInfo.TypeOf(op)))
		return
	}
	c.reportKept(o, kr, holder, u, keptNoun(c.pass.TypesInfo.TypeOf(op)))
}

// keptNoun names, for a message, a kept callback of type t: a function,
// or a value whose methods run.
func keptNoun(t types.Type) string {
	if funcindex.IsFunc(t) {
		return "the function"
	}
	return "the value"
}

// keptUse returns the use of a test that op, a callback kr keeps, makes
// when its goroutines run it, and the code they run: a literal's, or the
// methods the keeper calls on a value it keeps as an interface (a fake
// store built with t, NewService(&fakeStore{t: t})), whose use through
// their receiver is op's.
func (c *checker) keptUse(kr summary.KeptRun, op ast.Expr) (use, []*funcindex.Func, bool) {
	if ref, ok := c.idx.Resolve(op); ok {
		fn := c.idx.Func(ref.Lit)
		if ref.Lit == nil || fn == nil {
			return use{}, nil, false
		}
		bodies := c.withLiterals(fn)
		u, found := c.goroutineUse(ref.Lit, bodies, nil)
		return u, bodies, found
	}
	if funcindex.IsFunc(c.pass.TypesInfo.TypeOf(op)) {
		return use{}, nil, false
	}
	src, ok := c.sourceOf(op, 0)
	if !ok || !c.boundToTest(src) {
		return use{}, nil, false
	}
	for _, m := range c.sums.KeptMethods(kr.Site, op, kr.Stored) {
		fn := c.idx.FuncOf(m)
		if fn == nil || len(fn.Params) == 0 {
			continue
		}
		bodies := c.withLiterals(fn)
		for _, g := range bodies {
			for _, call := range g.Calls {
				if u, ok := c.useOf(call); ok && u.src.v == fn.Params[0] {
					u.src, u.kind = src, max(u.kind, src.kind)
					return u, bodies, true
				}
			}
		}
	}
	return use{}, nil, false
}

// runnerOf returns the variable whose method call runs is (c in
// c.Connect()), or nil.
func (c *checker) runnerOf(runs *ast.CallExpr) *types.Var {
	sel, ok := ast.Unparen(runs.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return testmodel.RootVar(c.pass.TypesInfo, sel.X)
}

// stopped reports whether o's code may stop holder, which runs kr's
// callbacks, and wait for them: it uses holder again after the start, or
// in a defer or a cleanup (defer w.Close() before w.Start()), other than
// by calling methods known never to wait. When those are all it does, it
// returns the stop stopsWithoutWaiting names: one that does not wait.
func (c *checker) stopped(o *owner, holder *types.Var, kr summary.KeptRun) (bool, *stop) {
	uses := c.usesAfter(o, holder, kr.Runs, kr.Site.Call)
	if len(uses) == 0 {
		return false, nil
	}
	weak := c.stopsWithoutWaiting(uses)
	return weak == nil, weak
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
	return len(c.usesAfter(o, v, start, except...)) > 0
}

// usesAfter returns the uses of v in o's code after the call start, or in
// a defer or a cleanup anywhere, each with the node above it; uses inside
// start and the nodes in except do not count.
func (c *checker) usesAfter(o *owner, v *types.Var, start ast.Node, except ...ast.Node) []usedAt {
	info := c.pass.TypesInfo
	var uses []usedAt
	var stack []ast.Node
	ast.Inspect(o.fn.Root().Node, func(n ast.Node) bool {
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
		if teardown := c.inTeardown(stack); id.Pos() > start.End() || teardown {
			u := usedAt{id: id, parent: stack[len(stack)-2], teardown: teardown, nested: nestedIn(stack, o.fn.Node)}
			if len(stack) > 2 {
				u.grand = stack[len(stack)-3]
			}
			uses = append(uses, u)
		}
		return true
	})
	return uses
}

// usedAt is a use of a variable, and the two nodes above it.
type usedAt struct {
	id            *ast.Ident
	parent, grand ast.Node
	teardown      bool // in a defer or a cleanup
	nested        bool // in a function literal within fn's code, or outside it
}

// nestedIn reports whether the innermost node of stack is in a function
// literal within fn, or not in fn at all.
func nestedIn(stack []ast.Node, fn ast.Node) bool {
	i := slices.Index(stack, fn)
	if i < 0 {
		return true
	}
	for _, n := range stack[i+1:] {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// A stop is a call that stops a value: its method called (defer
// w.Close()), or handed to t.Cleanup (t.Cleanup(w.Close)).
type stop struct {
	call     *ast.CallExpr
	method   *ast.SelectorExpr
	teardown bool // in a defer or a cleanup; else the test's last call on the value
}

// describe names the stop of v for a message.
func (s *stop) describe(v *types.Var) string {
	if s.teardown {
		return types.ExprString(s.method) + ", run as the test ends,"
	}
	return fmt.Sprintf("%s, the test's last call on %s,", types.ExprString(s.method), v.Name())
}

// stopsWithoutWaiting returns the call that last stops v, when every use
// of v after the start is a call, in the test's own code or in a defer or
// cleanup, of a method whose code is known and never waits for another
// goroutine (srv.Close that only closes a channel): the value's
// goroutines, and the callback they run, may then go on after the test.
// A deferred or cleanup stop is preferred, then the last call. It returns
// nil when any use may wait, hands v on, or is on another goroutine, and
// when there is none.
func (c *checker) stopsWithoutWaiting(uses []usedAt) *stop {
	var last, teardown *stop
	for _, u := range uses {
		sel, ok := u.parent.(*ast.SelectorExpr)
		call, isCall := u.grand.(*ast.CallExpr)
		if !ok || sel.X != u.id || !isCall || call.Fun != sel && !c.isCleanup(call) || u.nested && !u.teardown {
			return nil // v handed on, a field read, or a use on another goroutine
		}
		if !c.neverWaits(sel) || c.handsBackSignal(call) {
			return nil
		}
		s := &stop{call, sel, u.teardown}
		if u.teardown && teardown == nil {
			teardown = s
		}
		if last == nil || s.call.Pos() > last.call.Pos() {
			last = s
		}
	}
	if teardown != nil {
		return teardown
	}
	return last
}

// handsBackSignal reports whether call returns a stream or a channel
// (r := resp.BodyStream()): the test may wait for the value's goroutines
// through it, reading it to its end.
func (c *checker) handsBackSignal(call *ast.CallExpr) bool {
	t := c.pass.TypesInfo.TypeOf(call)
	if t == nil {
		return false
	}
	_, isChan := t.Underlying().(*types.Chan)
	return isChan || isStream(t)
}

// neverWaits reports whether the method sel selects has code that is
// known, this module's or another's through facts, and never waits for
// another goroutine. One of an interface or of the standard library, whose
// code is not read, may.
func (c *checker) neverWaits(sel *ast.SelectorExpr) bool {
	ref, ok := c.idx.Resolve(sel)
	if !ok || ref.Func == nil || ref.Lit != nil || ref.Func.Pkg() == nil || knowledge.IsStd(ref.Func.Pkg().Path()) {
		return false
	}
	if recv := ref.Func.Signature().Recv(); recv == nil || types.IsInterface(recv.Type()) {
		return false
	}
	return !c.sums.Effect(ref).Waits
}

// isCleanup reports whether call is t.Cleanup(...) on a testing value.
func (c *checker) isCleanup(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Cleanup" && testmodel.IsTestingType(c.pass.TypesInfo.TypeOf(sel.X))
}

// inTeardown reports whether the innermost node of stack is in a defer
// statement or in a function handed to t.Cleanup.
func (c *checker) inTeardown(stack []ast.Node) bool {
	for _, n := range stack {
		switch n := n.(type) {
		case *ast.DeferStmt:
			return true
		case *ast.CallExpr:
			if c.isCleanup(n) {
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
	return ok && sig.Results().Len() > 0 && c.isStatement(o.fn, call)
}

// reportKept reports kr's start, which runs the callback that uses the
// test (u) on goroutines that nothing stops.
func (c *checker) reportKept(o *owner, kr summary.KeptRun, holder *types.Var, u use, kept string) {
	if c.reported[kr.Runs.Pos()] {
		return // kept twice (in the subscription and in the connection): one finding
	}
	c.reported[kr.Runs.Pos()] = true
	keeps, runs := analysisutil.CalleeName(kr.Site.Call), analysisutil.CalleeName(kr.Runs)
	name, stop := "what it returns", "keep what it returns and stop it"
	if holder != nil {
		name, stop = holder.Name(), "stop "+holder.Name()
	}
	where := fmt.Sprintf("%s keeps %s and %s (line %d) runs it on goroutines of %s that the test never stops", keeps, kept, runs, c.line(kr.Runs.Pos()), name)
	if kr.Runs == kr.Site.Call {
		where = fmt.Sprintf("%s keeps %s and runs it on goroutines of %s that the test never stops", keeps, kept, name)
	}
	advice := stop + " before the test ends, with a method that waits for its goroutines (in t.Cleanup)"
	related := []analysis.RelatedInformation{{Pos: kr.Site.Call.Pos(), End: kr.Site.Call.End(), Message: kept[len("the "):] + " is kept here"}}
	if kr.Runs == kr.Site.Call {
		related = nil
	}
	c.reportWhere(o, kr.Runs, u, where, advice, related, nil)
}

// reportKeptStop reports stop, a call of a method of the value that runs
// kr's callbacks which never waits, the only way the test stops it: the
// callback (u) may still be running, or start, after the test.
func (c *checker) reportKeptStop(o *owner, kr summary.KeptRun, holder *types.Var, weak *stop, u use, kept string) {
	if c.reported[kr.Runs.Pos()] {
		return
	}
	c.reported[kr.Runs.Pos()] = true
	where := fmt.Sprintf("%s does not wait for the goroutines of %s that run %s %s keeps (%s, line %d)",
		weak.describe(holder), holder.Name(), kept, analysisutil.CalleeName(kr.Site.Call), analysisutil.CalleeName(kr.Runs), c.line(kr.Runs.Pos()))
	advice := fmt.Sprintf("stop %s with a method that waits for its goroutines, or wait for %s itself, before the test ends (in t.Cleanup)", holder.Name(), kept)
	related := []analysis.RelatedInformation{{Pos: kr.Runs.Pos(), End: kr.Runs.End(), Message: "the goroutines start here"}}
	c.reportWhere(o, weak.call, u, where, advice, related, nil)
}
