package aftertest

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines that may use a test after it has completed.
var Analyzer = &analysis.Analyzer{
	Name:      "aftertest",
	Doc:       analysisutil.MustExtractDoc(doc, "aftertest"),
	URL:       "https://github.com/testraces/testraces#aftertest",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(reports)},
	Run:       run,
}

type checker struct {
	sources *analysisutil.Sources // the files fixes are built from, read once
	pass    *analysis.Pass
	sums    *summary.Result
	idx     *funcindex.Index
	facts   map[*types.Func]*reports // the package's computed facts, and others' imported ones
	goBody  map[ast.Node]bool        // literals that go statements and time.AfterFunc run
	order   map[*funcindex.Func]int  // the index of each function in the index's list, once needed
	// reported holds the starts already reported for a kept callback.
	reported map[token.Pos]bool
	goJoined map[*ast.GoStmt]bool // whether the function a go statement is in may wait for it
}

func run(pass *analysis.Pass) (any, error) {
	if knowledge.KnownWithoutCode(pass.Pkg) {
		return nil, nil
	}
	sums := pass.ResultOf[summary.Analyzer].(*summary.Result)
	pass.Report = sums.Index.SkipNeverRun(pass.Report)
	c := &checker{
		sources: analysisutil.NewSources(pass),
		pass:    pass,
		sums:    sums,
		idx:     sums.Index,
		facts:   make(map[*types.Func]*reports),
		goBody:  make(map[ast.Node]bool),

		reported: make(map[token.Pos]bool),
		goJoined: make(map[*ast.GoStmt]bool),
	}
	for _, f := range c.idx.Funcs() {
		for _, site := range sums.Sites(f.Body) {
			if site.Go != nil {
				if lit, ok := ast.Unparen(site.Call.Fun).(*ast.FuncLit); ok {
					c.goBody[lit] = true
				}
				continue
			}
			for _, lit := range c.asyncLiterals(f, site) {
				c.goBody[lit] = true
			}
		}
	}
	c.computeFacts()
	if analysisutil.Imports(pass.Pkg, "testing") {
		c.keptCallbacks() // only test code's are checked
	}
	started := make(map[*ast.GoStmt]bool) // a call through a function value is a site for each function it may run
	for _, f := range c.idx.Funcs() {
		if !c.inScope(f) {
			continue
		}
		for _, site := range sums.Sites(f.Body) {
			switch {
			case site.Go != nil:
				if !started[site.Go] {
					started[site.Go] = true
					c.goStmt(f, site.Go)
				}
			case site.Resolved && knowledge.IsFunc(site.Ref.Func, "time", "AfterFunc") && len(site.Call.Args) == 2:
				c.afterFunc(f, site.Call)
			default:
				for _, lit := range c.asyncLiterals(f, site) {
					c.callback(f, site, lit)
				}
				c.startedUse(f, site)
			}
		}
	}
	return nil, nil
}

// inScope reports whether f is test code: in a _test.go file, or in a
// function that takes or holds a testing value.
func (c *checker) inScope(f *funcindex.Func) bool {
	root := f.Root()
	return root.InTest || testmodel.HandlesTestingValue(c.pass.TypesInfo, root.Node)
}

// An owner is the test that a goroutine started in its code must not
// outlive: a test function, a subtest's body, a synctest bubble's
// function, or a helper that returns nothing to stop the goroutine with.
type owner struct {
	fn       *funcindex.Func
	name     string     // "TestX", `subtest "name"`, "the test"
	t        *types.Var // its testing value
	test     bool       // a test or subtest function itself, not a helper
	synctest bool       // the function of synctest.Test: Log on its t goes to the outer test
}

// ownerOf returns the owner of code in f; nil when the goroutine's end
// may be up to someone else (a helper with results, a method of a
// suite, a b.RunParallel body).
func (c *checker) ownerOf(f *funcindex.Func) *owner {
	info := c.pass.TypesInfo
	for cur := f; cur != nil; cur = cur.Outer {
		if cur.Outer == nil {
			decl, ok := cur.Node.(*ast.FuncDecl)
			if !ok {
				return nil
			}
			if kind := testmodel.TestFuncKind(info, decl); kind != "" {
				return &owner{fn: cur, name: decl.Name.Name, t: cur.Params[0], test: true}
			}
			if isTestMethod(info, decl) {
				// func (s) TestX(t *testing.T): a test that a harness runs
				// by reflection as a subtest (grpc's grpctest).
				return &owner{fn: cur, name: decl.Name.Name, t: cur.Params[1], test: true}
			}
			if decl.Recv != nil || decl.Type.Results != nil && len(decl.Type.Results.List) > 0 {
				return nil
			}
			t := testingParam(cur.Params)
			if t == nil {
				return nil
			}
			return &owner{fn: cur, name: "the test", t: t}
		}
		lit := cur.Node.(*ast.FuncLit)
		call, called := c.callTaking(cur.Outer, lit)
		if called {
			continue // func() { ... }(), deferred or not: runs in its function
		}
		if call == nil {
			// Kept in a variable or a table and called who knows where,
			// by which test.
			return nil
		}
		if _, fn, ok := testmodel.TestingMethod(info, call); ok {
			switch {
			case testmodel.IsRun(fn) || testmodel.IsBenchRun(fn):
				if len(call.Args) != 2 || len(cur.Params) == 0 {
					return nil
				}
				return &owner{fn: cur, name: "subtest " + testmodel.SubtestName(info, call.Args[0]), t: cur.Params[0], test: true}
			case fn.Name() == "Fuzz":
				if len(cur.Params) == 0 {
					return nil
				}
				return &owner{fn: cur, name: "the fuzz target", t: cur.Params[0], test: true}
			case fn.Name() == "RunParallel":
				return nil
			}
			if fn.Name() == "Cleanup" {
				continue // a cleanup belongs to the test that registers it
			}
			return nil
		}
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		switch {
		case knowledge.IsFunc(fn, "testing/synctest", "Test") && len(cur.Params) > 0:
			return &owner{fn: cur, name: "the synctest.Test function", t: cur.Params[0], test: true, synctest: true}
		case knowledge.IsFunc(fn, "testing/synctest", "Run") || knowledge.IsFunc(fn, "internal/synctest", "Run"):
			return nil // Run waits for every goroutine of its bubble
		}
		// A callback a function runs (sync.Once.Do, a helper's
		// withServer(func() { ... })): when, and for how long, is the
		// function's business.
		return nil
	}
	return nil
}

// isTestMethod reports whether decl is a method TestX(t *testing.T).
func isTestMethod(info *types.Info, decl *ast.FuncDecl) bool {
	if decl.Recv == nil || !strings.HasPrefix(decl.Name.Name, "Test") || decl.Type.Params == nil || len(decl.Type.Params.List) != 1 || len(decl.Type.Params.List[0].Names) > 1 {
		return false
	}
	if decl.Type.Results != nil && len(decl.Type.Results.List) > 0 {
		return false
	}
	t, isPointer := info.TypeOf(decl.Type.Params.List[0].Type).(*types.Pointer)
	return isPointer && knowledge.IsType(t, "testing", "T")
}

// testingParam returns the first of params that is a testing value.
func testingParam(params []*types.Var) *types.Var {
	for _, p := range params {
		if testmodel.IsTestingType(p.Type()) {
			return p
		}
	}
	return nil
}

// callTaking returns the call of f that takes lit as an argument, or
// reports that f calls lit itself.
func (c *checker) callTaking(f *funcindex.Func, lit *ast.FuncLit) (call *ast.CallExpr, called bool) {
	if call := c.idx.CallOf(lit); call != nil {
		return call, true
	}
	for _, call := range f.Calls {
		for _, arg := range call.Args {
			if ast.Unparen(arg) == lit {
				return call, false
			}
		}
	}
	return nil, false
}

// goStmt checks a go statement of f.
func (c *checker) goStmt(f *funcindex.Func, g *ast.GoStmt) {
	var u use
	var bodies []*funcindex.Func
	found := false
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		fn := c.idx.Func(lit)
		if fn == nil {
			return
		}
		bodies = c.withLiterals(fn)
		u, found = c.goroutineUse(lit, bodies, g.Call.Args)
	} else if _, named := typeutil.Callee(c.pass.TypesInfo, g.Call).(*types.Func); named {
		// go t.Log(...), go logger.Info(...), go helper(t): the
		// operands are evaluated here and used there. go s.Serve(ln)
		// runs a server's handlers for the requests the test sends.
		if c.servesConnections(g.Call) {
			return
		}
		u, found = c.useOf(g.Call)
		found = found && c.boundToTest(u.src)
	} else {
		u, bodies, found = c.valueUse(f, g.Call)
	}
	if !found {
		return
	}
	o := c.ownerOf(f)
	if o == nil || o.synctest && u.kind == reachLog && u.src.v == o.t {
		return
	}
	if joined, exit := c.joined(o, g, g.Call, bodies, g.Call, false); exit != nil {
		// A goroutine that another goroutine starts (after accepting the
		// test's connection) may not exist on the path that exits.
		if unconditional(bodies, u.call) && c.runsHere(f, o.fn) {
			c.reportExit(o, g, u, "the goroutine started at line %d", exit)
		}
		return
	} else if joined {
		return
	}
	c.report(o, g, g.Call, u, "goroutine", c.fix(o, f, g, u))
}

// valueUse returns the first use that the code a go statement's function
// value, in f, may run makes of a test (go f() with f := func() {
// t.Log(...) }, go h.log() through a method value, go mk(t)() with a
// closure a helper hands back), and that code's bodies when it is a
// literal: the index follows the value, and only when it knows every
// function it may be.
func (c *checker) valueUse(f *funcindex.Func, call *ast.CallExpr) (use, []*funcindex.Func, bool) {
	for _, t := range c.idx.TargetsVia(call.Fun) {
		if !c.madeIn(f, t) {
			continue
		}
		if t.Lit != nil {
			fn := c.idx.Func(t.Lit)
			if fn == nil {
				continue
			}
			bodies := c.withLiterals(fn)
			if u, ok := c.goroutineUse(t.Lit, bodies, call.Args); ok {
				return u, bodies, true
			}
			continue
		}
		if u, ok := c.operandUse(call, c.calleeFacts(t.Func, t.Ref), t.Operands(call.Args)); ok && c.boundToTest(u.src) {
			return u, nil, true
		}
	}
	return use{}, nil, false
}

// madeIn reports whether the function value t was made in the function
// that f is in (the literal written, the helper called, the method value
// taken there): the testing value it holds is then that test's. The index
// follows a field of a type through every value of the type, and another
// test's value may hold another test's closure.
func (c *checker) madeIn(f *funcindex.Func, t funcindex.Target) bool {
	root := f.Root().Node
	switch {
	case t.Via != nil:
		return within(t.Via.Pos(), root)
	case t.Lit != nil:
		return within(t.Lit.Pos(), root)
	case len(t.Bound) > 0:
		return within(t.Bound[0].Pos(), root)
	}
	return true
}

// afterFunc checks time.AfterFunc(d, fn) in f: fn runs on a goroutine of
// its own when the timer fires, unless the timer is stopped first.
func (c *checker) afterFunc(f *funcindex.Func, call *ast.CallExpr) {
	lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	if !ok {
		return
	}
	o, bodies, u, ok := c.literalUse(f, lit)
	if !ok {
		return
	}
	kept, unchecked := c.kept(o, f, call)
	if kept {
		return
	}
	if joined, _ := c.joined(o, call, call, bodies, nil, false); joined {
		return
	}
	if unchecked != nil {
		c.reportUncheckedStop(o, call, unchecked, u)
		return
	}
	c.report(o, call, call, u, "timer", nil)
}

// literalUse returns how lit, written in f and run on a goroutine other
// than f's, uses a test, with the code that goroutine runs (lit and the
// literals in it) and the owner of f's test; false if it uses none, or f
// has no test.
func (c *checker) literalUse(f *funcindex.Func, lit *ast.FuncLit) (*owner, []*funcindex.Func, use, bool) {
	fn := c.idx.Func(lit)
	if fn == nil {
		return nil, nil, use{}, false
	}
	bodies := c.withLiterals(fn)
	u, found := c.goroutineUse(lit, bodies, nil)
	if !found {
		return nil, nil, use{}, false
	}
	o := c.ownerOf(f)
	return o, bodies, u, o != nil
}

// reportUncheckedStop reports stop, the only way the timer that call
// starts is stopped, whose result is dropped: when the timer has already
// fired, Stop returns false and the function runs on, maybe after the
// test (a watchdog that fires as the test ends).
func (c *checker) reportUncheckedStop(o *owner, call, stop *ast.CallExpr, u use) {
	name := types.ExprString(stop.Fun)
	if sel, ok := ast.Unparen(stop.Fun).(*ast.SelectorExpr); ok && ast.Unparen(sel.X) == call {
		name = "Stop" // defer time.AfterFunc(d, f).Stop()
	}
	where := fmt.Sprintf("%s does not wait for the function that time.AfterFunc runs (line %d) when the timer has already fired", name, c.line(call.Pos()))
	advice := "when Stop returns false, wait for the function to finish (if !timer.Stop() { <-done })"
	related := []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: "the timer is started here"}}
	c.reportWhere(o, stop, u, where, advice, related, nil)
}

// asyncLiterals returns the function literals that site's call, in
// function in, runs on goroutines it starts (g.Go(func() error { ... }),
// wg.Go, a helper that does go f()); not those of context.AfterFunc,
// which runs its function when the context ends.
func (c *checker) asyncLiterals(in *funcindex.Func, site summary.Site) []*ast.FuncLit {
	if !site.Resolved || knowledge.IsFunc(site.Ref.Func, "context", "AfterFunc") {
		return nil
	}
	var lits []*ast.FuncLit
	for op, param := range c.sums.AsyncOperands(site) {
		if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok {
			lits = append(lits, lit)
			continue
		}
		if _, isFunc := param.Underlying().(*types.Signature); !isFunc {
			// run([]func(){...}): the literals in a list the callee runs.
			for _, run := range c.sums.Index.RunsOf(op, param) {
				if run.Lit != nil {
					lits = append(lits, run.Lit)
				}
			}
			continue
		}
		// s.async(f) with f := func() { ... }: the literals f may be.
		for _, t := range c.idx.TargetsVia(op) {
			if t.Lit != nil && t.Via == nil && c.madeIn(in, t) {
				lits = append(lits, t.Lit)
			}
		}
	}
	// w.start() with w := &worker{onDone: func(error) { ... }}: a method
	// that calls the field on a goroutine it starts.
	if !c.sums.MayRunHeld(site) {
		return lits
	}
	for _, op := range site.Operands {
		for _, cb := range c.sums.RunsHeld(site, op) {
			if ref, ok := c.idx.Resolve(cb); ok && ref.Lit != nil && !slices.Contains(lits, ref.Lit) && c.madeIn(in, funcindex.Target{Ref: ref}) {
				lits = append(lits, ref.Lit)
			}
		}
	}
	return lits
}

// callback checks lit, a function that site's call, in f, runs on a
// goroutine it starts. A runner with a Wait method (errgroup's Group, a
// WaitGroup, a pool) is joined by that Wait.
func (c *checker) callback(f *funcindex.Func, site summary.Site, lit *ast.FuncLit) {
	o, bodies, u, ok := c.literalUse(f, lit)
	if !ok || o.synctest && u.kind == reachLog && u.src.v == o.t {
		return
	}
	runnerWaits := hasWait(site)
	if !runnerWaits && c.runnerMayWait(site.Ref) {
		return // it may wait itself for what it starts (withConnPair(t, peer1, peer2))
	}
	if !runnerWaits && c.runnerSignals(site.Ref, 0) {
		// ls.buildup(handler) whose goroutine runs handler, then closes
		// ls.done: a later wait through ls (ls.teardown()) waits for it.
		w := c.waits(o, site.Call, site.Call)
		runnerWaits = slices.ContainsFunc(site.Operands, func(op ast.Expr) bool {
			v := testmodel.RootVar(c.pass.TypesInfo, op)
			return v != nil && w.vars[v]
		})
	}
	if joined, exit := c.joined(o, site.Call, site.Call, bodies, nil, runnerWaits); exit != nil {
		if unconditional(bodies, u.call) {
			c.reportExit(o, site.Call, u, "the function that "+analysisutil.CalleeName(site.Call)+" runs on a goroutine (line %d)", exit)
		}
		return
	} else if joined {
		return
	}
	c.report(o, site.Call, site.Call, u, "callback", nil)
}

// runnerMayWait reports whether the function ref, which runs a callback
// on a goroutine it starts, may wait before it returns: its code is not
// in this package, or it receives, selects, ranges over a channel or
// calls anything that waits.
func (c *checker) runnerMayWait(ref funcindex.Ref) bool {
	body := c.idx.Body(ref)
	if body == nil {
		return true
	}
	fn := c.idx.Func(body)
	if fn == nil {
		return true
	}
	for _, g := range c.withLiterals(fn) {
		found := false
		ast.Inspect(g.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit, *ast.GoStmt:
				return false
			case *ast.UnaryExpr:
				found = found || n.Op == token.ARROW
			case *ast.SelectStmt:
				found = true
			case *ast.RangeStmt:
				if t := c.pass.TypesInfo.TypeOf(n.X); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						found = true
					}
				}
			case *ast.CallExpr:
				found = found || c.waitCall(n)
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// runnerSignals reports whether the function ref, which runs a callback
// on a goroutine it starts, has its code here and signals from such a
// goroutine (sends, closes, marks a WaitGroup done), or hands the
// callback on to a function that does (resp.SetBodyStreamWriter(sw) to
// NewStreamReader(sw)): what waits for that signal waits for the callback.
func (c *checker) runnerSignals(ref funcindex.Ref, depth int) bool {
	body := c.idx.Body(ref)
	if body == nil || depth > 4 {
		return false
	}
	fn := c.idx.Func(body)
	if fn == nil {
		return false
	}
	for _, g := range c.nested(fn)[1:] {
		if c.goBody[g.Node] && c.signals(c.withLiterals(g), nil) {
			return true
		}
	}
	for _, site := range c.sums.Sites(body) {
		if site.Go == nil && site.Resolved && c.sums.AsyncAt(site) != 0 && c.runnerSignals(site.Ref, depth+1) {
			return true
		}
	}
	return false
}

// hasWait reports whether site is a method call on a value with a Wait
// method: what it starts, that Wait waits for.
func hasWait(site summary.Site) bool {
	if site.Ref.Func == nil || site.Ref.Func.Signature().Recv() == nil || len(site.Operands) == 0 {
		return false
	}
	recv := site.Ref.Func.Signature().Recv().Type()
	obj, _, _ := types.LookupFieldOrMethod(recv, true, site.Ref.Func.Pkg(), "Wait")
	_, ok := obj.(*types.Func)
	return ok
}

// goroutineUse returns the first call in lit's code (bodies) that writes
// to or fails a test from outside lit; one that fails comes first.
func (c *checker) goroutineUse(lit *ast.FuncLit, bodies []*funcindex.Func, args []ast.Expr) (use, bool) {
	var first use
	found := false
	for _, fn := range bodies {
		for _, call := range fn.Calls {
			u, ok := c.useOf(call)
			if !ok || declaredIn(u.src.v, lit) {
				continue
			}
			if i := paramIndex(c.idx.Func(lit), u.src.v); i >= 0 {
				// A parameter: what the go statement passes.
				if i >= len(args) {
					continue
				}
				s, ok := c.sourceOf(args[i], 0)
				if !ok {
					continue
				}
				if u.src.origin != nil && s.origin == nil {
					s.origin, s.kind = u.src.origin, u.src.kind
				}
				u.src = s
			}
			if !c.boundToTest(u.src) {
				continue
			}
			if u.kind == reachFail {
				return u, true
			}
			if !found {
				first, found = u, true
			}
		}
	}
	return first, found
}

// paramIndex returns the index of v among f's parameters, or -1.
func paramIndex(f *funcindex.Func, v *types.Var) int {
	if f == nil {
		return -1
	}
	for i, p := range f.Params {
		if p == v {
			return i
		}
	}
	return -1
}

// boundToTest reports whether s reaches a test: a testing value, or a
// logger bound to one (not a logger parameter of unknown origin).
func (c *checker) boundToTest(s source) bool {
	return s.v != nil && (s.origin != nil || testmodel.IsTestingType(s.v.Type()))
}

// report reports start, which runs u on a goroutine that o may not wait
// for.
func (c *checker) report(o *owner, start ast.Node, call *ast.CallExpr, u use, shape string, fix *analysis.SuggestedFix) {
	line := c.line(start.Pos())
	var where, advice string
	switch shape {
	case "callback":
		where = fmt.Sprintf("the function that %s runs on a goroutine (line %d) is not waited for", analysisutil.CalleeName(call), line)
		advice = "wait for it before the test ends"
	case "timer":
		where = fmt.Sprintf("the function that time.AfterFunc runs (line %d) is never stopped nor waited for", line)
		advice = "keep the timer and stop it before the test ends, waiting for the function when Stop returns false (if !timer.Stop() { <-done }), or wait for the function"
	default:
		where = fmt.Sprintf("the goroutine started at line %d is not waited for", line)
		advice = "wait for it before the test ends (t.Cleanup(wg.Wait))"
	}
	c.reportWhere(o, start, u, where, advice, nil, fix)
}

// unconditional reports whether call runs whenever the goroutine whose
// code is bodies runs on: it is under no if, switch or select. A use of
// the test in an error branch (if err != nil { t.Error(err) }) is often
// unreachable on the path where the test ended early (the goroutine
// blocks on what the test never sent); an unconditional one is reached.
func unconditional(bodies []*funcindex.Func, call *ast.CallExpr) bool {
	for _, fn := range bodies {
		if !within(call.Pos(), fn.Body) {
			continue
		}
		found, clear := false, true
		var stack []ast.Node
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if found {
				return false
			}
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if n == call {
				found = true
				for _, outer := range stack {
					switch outer.(type) {
					case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
						clear = false
					}
				}
				return false
			}
			stack = append(stack, n)
			return true
		})
		if found {
			return clear
		}
	}
	return false
}

// reportExit reports start, whose goroutine the test waits for only after
// exit, which ends the test first on its path. started names the
// goroutine, with a %d for its line.
func (c *checker) reportExit(o *owner, start ast.Node, u use, started string, exit *earlyExit) {
	where := fmt.Sprintf(started+" is waited for at line %d, but %s at line %d ends the test before that", c.line(start.Pos()), c.line(exit.wait), exit.what, c.line(exit.node.Pos()))
	advice := "wait for it in a defer or in t.Cleanup, which run on that path too"
	related := []analysis.RelatedInformation{{Pos: exit.node.Pos(), End: exit.node.End(), Message: "the test ends here without waiting for the goroutine"}}
	if exit.timeout {
		where = fmt.Sprintf(started+" is waited for at line %d only until %s at line %d, after which the test goes on and may end without it", c.line(start.Pos()), c.line(exit.wait), exit.what, c.line(exit.node.Pos()))
		advice = "stop it, or wait for it in t.Cleanup, before the test ends"
		related[0].Message = "the test goes on here without waiting for the goroutine"
	}
	c.reportWhere(o, start, u, where, advice, related, nil)
}

// reportWhere reports start, where the goroutine that runs u starts (or
// is left running): where says why it may outlive o, advice what to do.
func (c *checker) reportWhere(o *owner, start ast.Node, u use, where, advice string, related []analysis.RelatedInformation, fix *analysis.SuggestedFix) {
	what := u.what()
	subject := what
	related = append([]analysis.RelatedInformation{{Pos: u.call.Pos(), End: u.call.End(), Message: what + " uses the test here"}}, related...)
	if u.src.origin != nil && !within(u.src.origin.Pos(), u.call) {
		subject = fmt.Sprintf("%s (bound to %s by %s at line %d)", what, u.src.v.Name(), originName(u.src.origin), c.line(u.src.origin.Pos()))
		related = append(related, analysis.RelatedInformation{Pos: u.src.origin.Pos(), End: u.src.origin.End(), Message: "bound to the test here"})
	}
	var outcome, category string
	switch {
	case u.kind == reachFail && u.src.kind == reachFail:
		outcome, category = "and it fails the test on an unexpected call, which the testing package then turns into a panic of the whole test binary", "aftertest-fail"
	case u.kind == reachFail:
		outcome, category = "and the testing package then panics the whole test binary", "aftertest-fail"
	default:
		outcome, category = "and the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed", "aftertest-log"
	}
	diag := analysis.Diagnostic{
		Pos:      start.Pos(),
		End:      start.End(),
		Category: category,
		Message:  fmt.Sprintf("%s may run after %s has completed: %s, %s; %s", subject, o.name, where, outcome, advice),
		Related:  related,
	}
	if fix != nil {
		diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(diag)
}

// originName names, for a message, what bound a logger to a test.
func originName(origin ast.Expr) string {
	switch o := origin.(type) {
	case *ast.CallExpr:
		return analysisutil.CalleeName(o)
	case *ast.FuncLit:
		return "a function literal"
	case *ast.CompositeLit:
		return types.ExprString(o.Type) + "{...}"
	}
	return types.ExprString(origin)
}

// within reports whether pos is inside n.
func within(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }
