package failnow

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"golang.org/x/tools/go/types/typeutil"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports t.Fatal, t.FailNow, t.Skip and require calls made off
// the test's goroutine.
var Analyzer = &analysis.Analyzer{
	Name:     "failnow",
	Doc:      analysisutil.MustExtractDoc(doc, "failnow"),
	URL:      "https://github.com/testraces/testraces#failnow",
	Requires: []*analysis.Analyzer{summary.Analyzer},
	Run:      run,
}

// The kinds of goroutine a region runs on; each is a diagnostic category
// (prefixed with "failnow-") and a README anchor.
const (
	kindGoroutine    = "goroutine"
	kindCallback     = "callback"
	kindHandler      = "handler"
	kindSubtest      = "subtest"
	kindSubBenchmark = "subbenchmark"
)

// A region is code that runs on a goroutine of its own, not the one of
// the test whose testing values it may use.
type region struct {
	kind  string
	start ast.Node // the go statement, the callback's call, the handler's registration, the t.Run call
	what  string   // the callback's function ("g.Go"), the subtest's name
	ref   funcindex.Ref
	own   *types.Var // the region's own testing value: a subtest's t
	// byHelper: a helper runs the subtest (runCase(t, name, f) calling
	// t.Run). It may give what it was given the subtest's testing value
	// first (testify's Suite.Run calls SetT), so only a testing variable
	// the body captured is surely the parent's, not a value holding one.
	byHelper bool
	// For a callback that a library keeps and runs later: the call that
	// kept it (app.Get); start is then the call that runs it (app.Test).
	kept *ast.CallExpr
	// The go statement inside a helper of this package that starts the
	// goroutine, for Related.
	inner ast.Node
	// Where the call that runs a kept callback is, when that is a
	// literal: "called in the function deferred at line 96".
	calledIn string
	// shared: the code reached the go statement through a field or a
	// helper's result, and may run elsewhere too, on the test's
	// goroutine, where its FailNow is right: no fix.
	shared bool
}

// ownsNoTest reports whether r runs on a goroutine that no test owns (a
// goroutine, a callback's, a handler's), where every testing value is
// another's; not a subtest's or a sub-benchmark's body.
func (r *region) ownsNoTest() bool {
	return r.own == nil && r.kind != kindSubtest && r.kind != kindSubBenchmark
}

// whatWhere is what, and where it is called when that is said.
func (r *region) whatWhere() string {
	if r.calledIn == "" {
		return r.what
	}
	return r.what + " (" + r.calledIn + ")"
}

func run(pass *analysis.Pass) (any, error) {
	sums := pass.ResultOf[summary.Analyzer].(*summary.Result)
	pass.Report = sums.Index.SkipNeverRun(pass.Report)
	c := &checker{
		sources:  analysisutil.NewSources(pass),
		pass:     pass,
		sums:     sums,
		boundary: make(map[*ast.FuncLit]bool),
		reported: make(map[token.Pos]bool),
	}
	c.findRegions()
	c.regionsKnown = true
	for _, held := range c.afterRegions {
		held()
	}
	for _, r := range c.regions {
		c.checkRegion(r)
	}
	return nil, nil
}

type checker struct {
	sources  *analysisutil.Sources // the files fixes are built from, read once
	pass     *analysis.Pass
	sums     *summary.Result
	regions  []*region
	boundary map[*ast.FuncLit]bool // literals that run elsewhere than where they are written
	reported map[token.Pos]bool
	handlers *handlers
	// regionsKnown is set once findRegions is done; what needs every
	// region known waits in afterRegions until then.
	regionsKnown bool
	afterRegions []func()
}

// findRegions finds the code that runs on goroutines of its own.
func (c *checker) findRegions() {
	c.handlers = newHandlers(c)
	for _, fn := range c.sums.Index.Funcs() {
		for _, site := range c.sums.Sites(fn.Body) {
			c.site(site)
		}
	}
	// Handlers first: what a server runs is said as such, also when the
	// kept-callback facts know the server too.
	c.handlers.find()
	c.keptCallbacks()
}

// keptCallbacks records the regions of callbacks that a library keeps and
// runs later from a goroutine of its own (summary's KeptRuns pairs the
// call that keeps one with the call that runs it).
func (c *checker) keptCallbacks() {
	for _, kr := range c.sums.KeptRuns() {
		for _, op := range c.sums.KeptOperands(kr.Site, kr.Stored) {
			c.keptCallback(kr.Site, kr.Runs, op, kr.Stored)
		}
	}
}

// keptCallback records the region of op, a callback that site keeps and
// runs calls on a goroutine, and of the callbacks op wraps.
func (c *checker) keptCallback(site summary.Site, runs *ast.CallExpr, op ast.Expr, st summary.Stored) {
	if !funcindex.IsFunc(c.pass.TypesInfo.TypeOf(op)) {
		c.keptMethods(site, runs, op, st)
		return
	}
	for _, cb := range c.wrapped(op, 0) {
		c.keptFunc(site, runs, cb, st.Kind)
	}
}

// keptMethods records the regions of the methods of op, a value that
// site keeps as an interface (an http.Handler, a gRPC service) and whose
// methods runs calls on a goroutine. An http.HandlerFunc holds a
// function: that function runs.
func (c *checker) keptMethods(site summary.Site, runs *ast.CallExpr, op ast.Expr, st summary.Stored) {
	what := types.ExprString(runs.Fun)
	for _, fn := range c.sums.KeptMethods(site, op, st) {
		c.addRegion(&region{kind: kindCallback, start: runs, what: what, ref: funcindex.Ref{Func: fn}, kept: site.Call})
	}
}

// runnerIn returns the call in lit (or in a literal it calls) that runs
// kept callbacks of kind on a goroutine: the call to name when lit, run
// by a defer or a call, runs them.
func (c *checker) runnerIn(lit *ast.FuncLit, kind string, depth int) *ast.CallExpr {
	if depth > 3 {
		return nil
	}
	for _, site := range c.sums.Sites(lit.Body) {
		if !site.Resolved || site.Go != nil {
			continue
		}
		if e := c.sums.Effect(site.Ref); slices.Contains(e.RunsStored, kind) || slices.Contains(e.CallsStored, kind) {
			if inner, ok := ast.Unparen(site.Call.Fun).(*ast.FuncLit); ok {
				if call := c.runnerIn(inner, kind, depth+1); call != nil {
					return call
				}
			}
			return site.Call
		}
	}
	return nil
}

// wrapped returns op and, when op is a call (or a variable holding what
// one returned) that builds a callback out of others, such as middleware
// (timeout.New(h)), the callbacks it is given: they run when what it
// builds runs.
func (c *checker) wrapped(op ast.Expr, depth int) []ast.Expr {
	out := []ast.Expr{op}
	info := c.pass.TypesInfo
	e := ast.Unparen(op)
	if v := testmodel.VarOf(info, e); v != nil {
		if def := c.sums.Index.Def(v); def != nil {
			e = ast.Unparen(def)
		}
	}
	call, ok := e.(*ast.CallExpr)
	if !ok || depth > 3 || !funcindex.IsFunc(info.TypeOf(call)) {
		return out
	}
	for _, arg := range call.Args {
		if funcindex.IsFunc(info.TypeOf(arg)) {
			out = append(out, c.wrapped(arg, depth+1)...)
		}
	}
	return out
}

// keptFunc records the region of op, a function value that site keeps
// and runs calls on a goroutine.
func (c *checker) keptFunc(site summary.Site, runs *ast.CallExpr, op ast.Expr, kind string) {
	fref, ok := c.sums.Index.Resolve(op)
	if !ok {
		if c.reportReturned(&region{kind: kindCallback, start: runs, what: types.ExprString(runs.Fun), kept: site.Call}, op) {
			return
		}
		// r.AddHandler(setup(t)): the closures the package's helpers
		// hand back, or a variable or field given several.
		for _, t := range c.sums.Index.Targets(op) {
			if t.Lit != nil {
				c.addRegion(&region{kind: kindCallback, start: runs, what: types.ExprString(runs.Fun), ref: t, kept: site.Call, shared: true})
			}
		}
		return
	}
	if c.servedHere(site.Call, op, fref) {
		return
	}
	what, calledIn := types.ExprString(runs.Fun), ""
	if lit, isLit := ast.Unparen(runs.Fun).(*ast.FuncLit); isLit {
		what = "a function literal"
		if inner := c.runnerIn(lit, kind, 0); inner != nil {
			where := "function literal"
			if c.sums.Index.IsDeferred(runs) {
				where = "function deferred"
			}
			what = types.ExprString(inner.Fun)
			calledIn = fmt.Sprintf("called in the %s at line %d", where, c.pass.Fset.Position(lit.Pos()).Line)
			runs = inner
		}
	}
	if fref.Lit != nil {
		c.addRegion(&region{kind: kindCallback, start: runs, what: what, ref: fref, kept: site.Call, calledIn: calledIn})
		return
	}
	c.reportNamed(&region{kind: kindCallback, start: runs, what: what, ref: fref, calledIn: calledIn}, site.Call, op, fref.Bound)
}

// innerStart returns the go statement that starts, inside ref, a helper
// of this package, the goroutine it runs a callback on; nil if there is
// none to show.
func (c *checker) innerStart(ref funcindex.Ref) ast.Node {
	for depth := 0; depth < 4 && ref.Func != nil; depth++ {
		body := c.sums.Index.Body(ref)
		if body == nil {
			return nil
		}
		next := funcindex.Ref{}
		for _, site := range c.sums.Sites(body) {
			if site.Go != nil {
				return site.Go
			}
			if site.Resolved && !next.Valid() && c.sums.Effect(site.Ref).Async != 0 {
				next = site.Ref
			}
		}
		ref = next
	}
	return nil
}

// site records what one call does with code that runs elsewhere.
func (c *checker) site(site summary.Site) {
	info := c.pass.TypesInfo
	call := site.Call
	if site.Resolved {
		c.handlers.call(site) // go http.ListenAndServe(addr, h) too
	}
	switch {
	case site.Testing == summary.CallRun:
		// go t.Run(name, body) too: the body runs on the subtest's
		// goroutine either way, and the go statement only waits for it.
		c.subtest(call, testmodel.SubtestName(info, call.Args[0]), call.Args[1])
		return
	case site.Testing == summary.CallBenchRun:
		c.subBenchmark(call, testmodel.SubtestName(info, call.Args[0]), call.Args[1])
		return
	case site.Go != nil:
		c.goStatement(site.Go)
		return
	case site.Testing == summary.CallFuzz && len(call.Args) == 1:
		c.subtest(call, "the fuzz target", call.Args[0])
		return
	case site.Testing == summary.CallCleanup && len(call.Args) == 1:
		// Cleanups run on the goroutine of the test they belong
		// to, after it: not where they are written.
		if lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit); ok {
			c.boundary[lit] = true
		}
		return
	}
	if site.Resolved {
		c.callbacks(site)
		c.heldCallbacks(site)
		c.helperSubtests(site)
	}
}

// goStatement records the region a go statement starts, or reports it
// when it starts a named function that stops the caller's test.
func (c *checker) goStatement(g *ast.GoStmt) {
	_, direct := c.sums.Index.Resolve(g.Call.Fun)
	c.reportReturned(&region{kind: kindGoroutine, start: g}, g.Call.Fun)
	start := func(ref funcindex.Ref, shared bool) {
		if ref.Lit != nil {
			c.addRegion(&region{kind: kindGoroutine, start: g, ref: ref, shared: shared})
			return
		}
		operands := ref.Operands(g.Call.Args)
		c.reportNamedStart(g, g.Call, g.Call.Fun, kindGoroutine, "", ref, operands)
	}
	targets := c.sums.Index.Targets(g.Call.Fun)
	for _, ref := range targets {
		start(ref, !direct)
	}
	if targets == nil {
		c.mayAlsoRun(g.Call.Fun, func(ref funcindex.Ref) { start(ref, true) })
	}
}

// mayAlsoRun calls start, once every region is known, with the code that
// the package shows fun may run, for fun whose Targets are not all known
// (a field a setter or an exported field's users may set too): a literal
// that another start runs, where it is known better, is that start's.
func (c *checker) mayAlsoRun(fun ast.Expr, start func(funcindex.Ref)) {
	may := c.sums.Index.MayRun(fun)
	if len(may) == 0 {
		return
	}
	c.afterRegions = append(c.afterRegions, func() {
		for _, t := range may {
			start(t.Ref)
		}
	})
}

// callbacks records the regions of the function arguments that call runs
// on other goroutines.
func (c *checker) callbacks(site summary.Site) {
	call, ref := site.Call, site.Ref
	what := "" // named once a callback is found: most calls run none
	for op, param := range c.sums.AsyncOperands(site) {
		if what == "" {
			what = types.ExprString(call.Fun)
		}
		if _, isFunc := param.Underlying().(*types.Signature); !isFunc {
			// runAll(jobs), run(fns...), start(j): the callee runs the
			// functions in a list, or an interface value's method.
			for _, run := range c.sums.Index.RunsOf(op, param) {
				// A literal written in the list the call is given runs
				// there alone; one in a variable's list may run elsewhere.
				inList := run.Lit != nil && op.Pos() <= run.Lit.Pos() && run.Lit.End() <= op.End()
				c.callbackTarget(site, what, run.Fun, run.Ref, !inList)
			}
			continue
		}
		// g.Go(f) with f a table entry, a variable given several
		// functions, or a closure a helper handed back, may run any.
		_, direct := c.sums.Index.Resolve(op)
		c.reportReturned(&region{kind: kindCallback, start: call, what: what, inner: c.innerStart(ref)}, op)
		targets := c.sums.Index.Targets(op)
		for _, fref := range targets {
			c.callbackTarget(site, what, op, fref, !direct)
		}
		if targets == nil {
			c.mayAlsoRun(op, func(fref funcindex.Ref) { c.callbackTarget(site, what, op, fref, true) })
		}
	}
}

// heldCallbacks records the regions of the callbacks that the operands of
// site's call hold in their fields and that the callee runs on goroutines
// of its own: start(&Server{Handler: h}) with go srv.serveOnce(l) inside,
// which calls srv.Handler.
func (c *checker) heldCallbacks(site summary.Site) {
	if !c.sums.MayRunHeld(site) {
		return
	}
	stores := c.sums.Effect(site.Ref).Stores
	for i, op := range site.Operands {
		if funcindex.IsFunc(c.pass.TypesInfo.TypeOf(op)) || slices.ContainsFunc(stores, func(st summary.Stored) bool { return st.Operand == i }) {
			continue // a value the callee keeps is the kept callbacks' (keptCallbacks)
		}
		for _, cb := range c.sums.RunsHeld(site, op) {
			if fref, ok := c.sums.Index.Resolve(cb); ok && fref.Lit != nil {
				// Once every region is known: a handler a server is known
				// to run (srv.Serve(ln)) is that server's.
				c.afterRegions = append(c.afterRegions, func() { c.callbackTarget(site, types.ExprString(site.Call.Fun), cb, fref, false) })
			}
		}
	}
}

// callbackTarget records fref, code that site's call runs on another
// goroutine when it runs fun: a literal's region, or the finding of a
// named function that stops the test. shared is true when fun may hold
// other code too.
func (c *checker) callbackTarget(site summary.Site, what string, fun ast.Expr, fref funcindex.Ref, shared bool) {
	call := site.Call
	if fref.Lit != nil {
		c.addRegion(&region{kind: kindCallback, start: call, what: what, ref: fref, inner: c.innerStart(site.Ref), shared: shared})
		return
	}
	if c.servedHere(call, fun, fref) {
		return
	}
	if len(fref.Bound) == 1 && fref.Bound[0] == fun && fref.Func != nil {
		// An interface value's method: say which (j.Do).
		fun = &ast.SelectorExpr{X: fun, Sel: ast.NewIdent(fref.Func.Name())}
	}
	c.reportNamedStart(call, call, fun, kindCallback, what, fref, fref.Bound)
}

// servedHere reports whether op is the handler that call, a server
// (httptest.NewServer(h), http.Serve(l, h)), runs, and ref its code in
// this package: handlers made it a region of its own.
func (c *checker) servedHere(call *ast.CallExpr, op ast.Expr, ref funcindex.Ref) bool {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	i, ok := knowledge.HandlerArg(fn)
	if !ok || i >= len(call.Args) || c.sums.Index.Body(ref) == nil {
		return false
	}
	arg := call.Args[i] // http.HandlerFunc(f.handle) holds f.handle
	return arg.Pos() <= op.Pos() && op.End() <= arg.End()
}

// subtest records the region of a subtest or fuzz target body: it runs on
// its own goroutine, with its own testing value.
func (c *checker) subtest(call *ast.CallExpr, name string, body ast.Expr) {
	c.childRegion(kindSubtest, call, name, body)
}

// helperSubtests records the functions that the helper site calls runs
// as subtests' bodies (runCase(t, name, func(t *testing.T) {...}) with
// runCase calling t.Run(name, f), at any depth and in any package).
func (c *checker) helperSubtests(site summary.Site) {
	subtests := c.sums.Effect(site.Ref).Subtests
	if subtests == 0 {
		return
	}
	for i, op := range site.Operands {
		if !subtests.Has(i) {
			continue
		}
		if r := c.childRegion(kindSubtest, site.Call, "started by "+analysisutil.CalleeName(site.Call), op); r != nil {
			r.byHelper = true
		}
	}
}

// subBenchmark records the body of b.Run(name, body): it runs on a
// goroutine of its own, where the parent's FailNow ends only that
// goroutine.
func (c *checker) subBenchmark(call *ast.CallExpr, name string, body ast.Expr) {
	c.childRegion(kindSubBenchmark, call, name, body)
}

// childRegion records body, run by call on the goroutine of a child test
// of the given kind, whose own testing value is its first parameter. It
// returns the region it added, if any.
func (c *checker) childRegion(kind string, call *ast.CallExpr, name string, body ast.Expr) *region {
	ref, ok := c.sums.Index.Resolve(body)
	if !ok || ref.Lit == nil {
		return nil // a named function cannot reach the parent's testing value
	}
	params := c.sums.Index.Params(ref)
	var own *types.Var
	if len(params) > 0 {
		own = params[0]
	}
	r := &region{kind: kind, start: call, what: name, ref: ref, own: own}
	if !c.addRegion(r) {
		return nil
	}
	return r
}

// addRegion adds r, unless its literal is already a region or a
// cleanup; it reports whether it did.
func (c *checker) addRegion(r *region) bool {
	if r.ref.Lit != nil {
		if c.boundary[r.ref.Lit] {
			return false
		}
		c.boundary[r.ref.Lit] = true
	}
	c.regions = append(c.regions, r)
	return true
}

// reportNamedStart reports a go statement or callback that starts a named
// function (or a testing method value) that stops a test reached from an
// operand: the operands were evaluated on the starting goroutine, so they
// belong to its test, not to the new goroutine.
func (c *checker) reportNamedStart(start ast.Node, call *ast.CallExpr, fun ast.Expr, kind, what string, ref funcindex.Ref, operands []ast.Expr) {
	c.reportNamed(&region{kind: kind, start: start, what: what, ref: ref}, call, fun, operands)
}

// reportReturned reports, in region r, fun when it is the closure that
// a helper of another package hands back and that stops a test the
// helper was given (testutil.Handler(t), step := testutil.Step(t, err)):
// the helper's call is the statement to change. Closures of the
// package's own helpers are regions of their own (the flow layer follows
// them into the helper). It reports whether it found one.
func (c *checker) reportReturned(r *region, fun ast.Expr) bool {
	call, t := c.returnedFailing(fun)
	if call != nil {
		c.report(r, call, returnedFinding(call, t), nil)
	}
	return call != nil
}

// returnedFinding is the finding of the closure that call hands back,
// stopping t's test.
func returnedFinding(call *ast.CallExpr, t ast.Expr) finding {
	return finding{subject: "the function that " + analysisutil.CalleeName(call) + " returns", t: t, helper: true}
}

// returnedFailing returns the call of another package's helper that
// built fun, and the testing value whose test the closure it hands back
// stops; nil if fun is not one. When one of the package's helpers
// returned that closure (handler(t) returning testutil.Handler(t)), the
// helper's call, in the same function as fun, is the one returned, with
// its argument for the helper's parameter.
func (c *checker) returnedFailing(fun ast.Expr) (*ast.CallExpr, ast.Expr) {
	info := c.pass.TypesInfo
	for _, imp := range c.sums.Index.ImportedCalls(fun) {
		ref, operands, _ := c.sums.Index.Callee(imp.Call)
		fails := c.sums.Effect(ref).ReturnsFailing
		for j, op := range operands {
			if !fails.Has(j) {
				continue
			}
			call := imp.Call
			if imp.Via != nil {
				if call, op = imp.Via, c.argumentOf(imp.Via, op); op == nil || !c.sameTopLevel(call, fun) {
					continue
				}
			}
			if testmodel.RootVar(info, op) != nil && c.sums.StopsTest(op) && c.mayHoldTest(op) {
				return call, op
			}
		}
	}
	return nil, nil
}

// argumentOf returns what call passes for op when op is a parameter of
// the package's function that call runs; nil otherwise.
func (c *checker) argumentOf(call *ast.CallExpr, op ast.Expr) ast.Expr {
	v := testmodel.VarOf(c.pass.TypesInfo, op)
	ref, operands, ok := c.sums.Index.Callee(call)
	if v == nil || !ok {
		return nil
	}
	if i := slices.Index(c.sums.Index.Params(ref), v); i >= 0 && i < len(operands) {
		return operands[i]
	}
	return nil
}

// reportNamed is reportNamedStart for the region r of a named function.
func (c *checker) reportNamed(r *region, call *ast.CallExpr, fun ast.Expr, operands []ast.Expr) {
	ref := r.ref
	if testmodel.IsFailNowMethod(ref.Func) {
		if len(operands) > 0 && testmodel.RootVar(c.pass.TypesInfo, operands[0]) != nil {
			c.report(r, call, c.failNowFinding(ref.Func.Name(), operands[0]), nil)
		}
		return
	}
	e := c.sums.Effect(ref)
	for j, op := range operands {
		if e.FailsNow.Has(j) && c.namesTest(op) && c.sums.StopsTest(op) && c.mayHoldTest(op) {
			c.report(r, call, helperFinding(fun, ref, op), nil)
			return
		}
	}
	// go w.run(), where run calls w.onErr, and w was built with a
	// closure there that stops a test: whichever test, not on this
	// goroutine. Asked once every region is known: a closure that is a
	// region of its own (an HTTP handler the server runs) is reported
	// where it is written, not again here.
	held := func() {
		if v := c.heldFailing(r, ref, operands); v != nil {
			c.report(r, call, helperFinding(fun, ref, ast.NewIdent(v.Name())), nil)
		}
	}
	if c.regionsKnown {
		held()
	} else {
		c.afterRegions = append(c.afterRegions, held)
	}
}

// heldFailing returns, for a call in region r of ref, a method bound to
// operands[0], the testing value that a closure stops, one that the
// receiver was built with in a field the method calls: its own composite
// literal, or the one a function of the package returned to build it
// (newWorker(t)); nil if none, or if r is a child test's, whose own value
// it may be. Only the value built is read, not every closure the field
// is ever given: a worker built without one, run on a goroutine, stops no
// test.
func (c *checker) heldFailing(r *region, ref funcindex.Ref, operands []ast.Expr) *types.Var {
	if !r.ownsNoTest() || len(ref.Bound) == 0 || len(operands) == 0 {
		return nil
	}
	return c.failingFree(c.heldBy(operands[0], ref.Func))
}

// heldBy returns the functions that recv, as built (see built), holds in
// the fields that its method m calls.
func (c *checker) heldBy(recv ast.Expr, m *types.Func) []ast.Expr {
	var held []ast.Expr
	for _, b := range c.built(recv) {
		held = append(held, c.sums.HeldCallbacks(b, m)...)
	}
	return held
}

// fieldFailing is heldFailing for a call of the function in field of recv
// (w.onErr(err)): the value recv was built with there.
func (c *checker) fieldFailing(recv ast.Expr, field *types.Var) *types.Var {
	info := c.pass.TypesInfo
	for _, b := range c.built(recv) {
		lit := c.sums.Index.Literal(b)
		if lit == nil {
			continue
		}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok && info.Uses[key] == field {
					if v := c.failingFree([]ast.Expr{kv.Value}); v != nil {
						return v
					}
				}
			}
		}
	}
	return nil
}

// built returns recv and, when a function of the package built it (a
// call, or a variable given one), what that function returns.
func (c *checker) built(recv ast.Expr) []ast.Expr {
	built := []ast.Expr{recv}
	from := recv
	if v := testmodel.VarOf(c.pass.TypesInfo, recv); v != nil {
		from = c.sums.Index.Def(v)
	}
	if call, ok := ast.Unparen(from).(*ast.CallExpr); ok {
		if ref, _, ok := c.sums.Index.Callee(call); ok {
			if fn := c.sums.Index.Func(c.sums.Index.Body(ref)); fn != nil {
				for _, ret := range fn.Returns {
					if len(ret.Results) > 0 {
						built = append(built, ret.Results[0])
					}
				}
			}
		}
	}
	return built
}

// failingFree returns the first testing value, captured from outside,
// whose test one of the function literals among values stops.
func (c *checker) failingFree(values []ast.Expr) *types.Var {
	for _, value := range values {
		ref, ok := c.sums.Index.Resolve(value)
		if !ok || ref.Lit == nil || c.boundary[ref.Lit] {
			continue
		}
		if free := c.sums.Effect(ref).FailsFree; len(free) > 0 {
			return free[0]
		}
	}
	return nil
}

// checkRegion reports the calls in r's code that stop a test other than
// r's own.
func (c *checker) checkRegion(r *region) {
	body := c.sums.Index.Body(r.ref)
	if body == nil {
		return
	}
	// Walk the region's code, and the literals in it that run where they
	// are written (not those that are regions or cleanups themselves).
	var stack []ast.Node
	nested := 0 // function literals between the region's body and the walk
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if _, ok := top.(*ast.FuncLit); ok {
				nested--
			}
			return true
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			if c.boundary[n] {
				return false
			}
			nested++
		case *ast.GoStmt:
			return false // a region of its own
		case *ast.CallExpr:
			if f, ok := c.failsNow(r, n); ok {
				var parent ast.Node
				if len(stack) > 0 {
					parent = stack[len(stack)-1]
				}
				var fix *analysis.SuggestedFix
				if nested == 0 {
					fix = c.fix(r, n, parent, f)
				}
				c.report(r, n, f, fix)
			}
		}
		stack = append(stack, n)
		return true
	})
}

// A finding says what a call does to which testing value.
type finding struct {
	subject    string   // what is called: "t.Fatalf", "require.NoError", "mustGet"
	method     string   // the stopping method, for a direct call: "Fatalf"
	t          ast.Expr // the testing value
	require    string   // for a require function or Assertions method: its name ("NoError")
	assertions bool     // the require call is a method of *require.Assertions
	helper     bool
	noTwin     bool // the testing value's type lacks the method that only reports (Errorf for Fatalf)
}

// failNowFinding is the finding for t.method(...) on a testing value t,
// noTwin when t's type lacks the method that only reports: an interface
// with Fatalf alone has no Errorf for the fix or the advice to name.
func (c *checker) failNowFinding(method string, t ast.Expr) finding {
	f := finding{subject: types.ExprString(t) + "." + method, method: method, t: t}
	if repl := replacements[method]; repl != "" && !hasMethod(c.pass.TypesInfo.TypeOf(t), c.pass.Pkg, repl) {
		f.noTwin = true
	}
	return f
}

// hasMethod reports whether t, if known, has a method of the given name.
func hasMethod(t types.Type, pkg *types.Package, name string) bool {
	if t == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	_, ok := obj.(*types.Func)
	return ok
}

func helperFinding(fun ast.Expr, ref funcindex.Ref, t ast.Expr) finding {
	f := finding{subject: types.ExprString(fun), t: t, helper: true}
	if knowledge.IsTestifyFunc(ref.Func, knowledge.TestifyRequire) {
		f.helper = false
		f.require = ref.Func.Name()
		f.assertions = ref.Func.Signature().Recv() != nil
	}
	return f
}

// failsNow decides whether call, in region r, stops a test that r does
// not run.
func (c *checker) failsNow(r *region, call *ast.CallExpr) (finding, bool) {
	info := c.pass.TypesInfo
	if recv, name, ok := testmodel.FailNowCall(info, call); ok {
		return c.failNowFinding(name, recv), c.foreign(r, recv)
	}
	if recv, name, ok := testmodel.HeldFailNowCall(info, call); ok {
		return c.failNowFinding(name, recv), c.foreign(r, recv) && c.sums.HoldsTesting(recv)
	}
	// A call through a field or a variable given several functions may
	// run any of them.
	for _, t := range c.sums.Index.TargetsVia(call.Fun) {
		operands := t.Operands(call.Args)
		if f, ok := c.calleeFailsNow(r, call, t, operands); ok {
			return f, true
		}
	}
	// w.onErr(err) in a goroutine, w built by newWorker(t) with a
	// closure there that stops t's test.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && r.ownsNoTest() {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
			if field, ok := s.Obj().(*types.Var); ok {
				if v := c.fieldFailing(sel.X, field); v != nil {
					return helperFinding(call.Fun, funcindex.Ref{}, ast.NewIdent(v.Name())), true
				}
			}
		}
	}
	// step() with step := testutil.Step(t, err): another package's
	// closure.
	if built, t := c.returnedFailing(call.Fun); built != nil {
		f := returnedFinding(built, t)
		f.subject = types.ExprString(call.Fun) + ", " + f.subject + ","
		return f, c.foreign(r, t)
	}
	return finding{}, false
}

// freeForeign reports whether v, a free variable of the code t runs, holds
// a testing value foreign to region r, and returns what names it there. A closure a helper handed back
// holds, in the helper's parameters, what that call passed: the subtest's
// own t in mk(t), the parent's in a table built outside. Its other
// variables of the helper, and those of a helper further away, are not
// known here.
func (c *checker) freeForeign(r *region, call *ast.CallExpr, t funcindex.Target, v *types.Var) (ast.Expr, bool) {
	name := ast.NewIdent(v.Name())
	if t.Via == nil {
		// A variable of a function the call is not in (a factory's
		// parameter that a struct's func field captured) holds what
		// another call of that function was given.
		if s := v.Parent(); !testmodel.IsPackageLevel(v) && (s == nil || !s.Contains(call.Pos())) {
			return nil, false
		}
		return name, c.foreignVar(r, v, 0)
	}
	ref, operands, ok := c.sums.Index.Callee(t.Via)
	body := c.sums.Index.Body(ref)
	if !ok || body == nil || !c.sameTopLevel(t.Via, call) {
		return nil, false
	}
	params := c.sums.Index.Params(ref)
	if i := slices.Index(params, v); i >= 0 {
		if i >= len(operands) {
			return nil, false
		}
		return operands[i], c.foreign(r, operands[i])
	}
	if v.Pos() >= body.Pos() && v.Pos() < body.End() {
		return nil, false
	}
	return name, c.foreignVar(r, v, 0)
}

// sameTopLevel reports whether a and b are in the same top-level
// declaration.
func (c *checker) sameTopLevel(a, b ast.Node) bool {
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			if d.Pos() <= a.Pos() && a.End() <= d.End() {
				return d.Pos() <= b.Pos() && b.End() <= d.End()
			}
		}
	}
	return false
}

// calleeFailsNow decides whether call, in region r, running ref with
// operands, stops a test that r does not run.
func (c *checker) calleeFailsNow(r *region, call *ast.CallExpr, t funcindex.Target, operands []ast.Expr) (finding, bool) {
	ref := t.Ref
	if testmodel.IsFailNowMethod(ref.Func) { // f := t.Fatal; f()
		if len(operands) > 0 && c.foreign(r, operands[0]) {
			return c.failNowFinding(ref.Func.Name(), operands[0]), true
		}
		return finding{}, false
	}
	if ref.Lit != nil && !c.boundary[ref.Lit] && within(ref.Lit, c.sums.Index.Body(r.ref)) {
		return finding{}, false // its body is walked as part of the region
	}
	s := c.sums.Effect(ref)
	for j, op := range operands {
		if s.FailsNow.Has(j) && c.foreign(r, op) && c.sums.StopsTest(op) && c.mayHoldTest(op) {
			return helperFinding(call.Fun, ref, op), true
		}
	}
	for _, v := range s.FailsFree {
		if name, ok := c.freeForeign(r, call, t, v); ok {
			return helperFinding(call.Fun, ref, name), true
		}
	}
	if v := c.heldFailing(r, ref, operands); v != nil {
		return helperFinding(call.Fun, ref, ast.NewIdent(v.Name())), true
	}
	return finding{}, false
}

// interfaceMayHoldTest reports whether op, of an interface type without
// FailNow, may hold a testing value. One that declares Fatalf as
// testing.TB does (fataler) is as often given a logger: it counts only
// where a concrete value the package gives it is a testing value or holds
// one (a harness built with the test's t). Any other interface (a job, a
// step) may hold what fails the test.
func (c *checker) interfaceMayHoldTest(op ast.Expr, iface *types.Interface) bool {
	if !testmodel.DeclaresFailNowFamily(iface) {
		return true
	}
	for _, t := range c.sums.Index.MayHold(op) {
		if testmodel.IsTestingType(t) || testmodel.HoldsTestingValue(t) {
			return true
		}
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "FailNow"); obj != nil {
			return true
		}
	}
	return false
}

// mayHoldTest reports whether op, which a function stops the test of
// through what it holds (a mock whose Called fails its test, a harness),
// may hold a testing value: it is one, or an interface, or has a FailNow
// of its own; or, for a local variable, it is built from one
// (newHarness(t)), or handed one (m.Test(t)). A mock that no test was
// handed fails by panicking, not with FailNow.
func (c *checker) mayHoldTest(op ast.Expr) bool {
	info := c.pass.TypesInfo
	t := info.TypeOf(op)
	if t == nil || testmodel.IsTestingType(t) {
		return true
	}
	if iface, isIface := t.Underlying().(*types.Interface); isIface {
		return testmodel.HasFailNow(iface) || c.interfaceMayHoldTest(op, iface)
	}
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "FailNow"); obj != nil {
		return true
	}
	v := testmodel.RootVar(info, op)
	if v == nil {
		return true
	}
	def := c.sums.Index.Def(v)
	if def == nil || v.IsField() || testmodel.IsPackageLevel(v) {
		return true // a parameter, a field, reassigned: not known
	}
	if c.testingIn(def) {
		return true
	}
	for _, fn := range c.sums.Index.Funcs() {
		for _, call := range fn.Calls {
			if testmodel.Mentions(info, call, v) && c.testingIn(call) {
				return true
			}
		}
	}
	return false
}

// namesTest reports whether op reaches a testing value that a finding can
// name: a variable (t, s, h.t), or a value built here with one
// (fatalJob{t}, &worker{t: t}).
func (c *checker) namesTest(op ast.Expr) bool {
	if testmodel.RootVar(c.pass.TypesInfo, op) != nil {
		return true
	}
	e := ast.Unparen(op)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	_, isLit := e.(*ast.CompositeLit)
	return isLit && c.testingIn(e)
}

// testingIn reports whether e uses a testing value, or a value that can
// give one (a suite, whose T() returns it; a struct holding one).
func (c *checker) testingIn(e ast.Node) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			if v, ok := info.Uses[id].(*types.Var); ok && givesTest(v.Type()) {
				found = true
			}
		}
		return !found
	})
	return found
}

// givesTest reports whether a value of type t is a testing value or gives
// one: a struct with one in a field, a suite with a T method.
func givesTest(t types.Type) bool {
	if testmodel.IsTestingType(t) {
		return true
	}
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "T"); obj != nil {
		if fn, ok := obj.(*types.Func); ok && fn.Signature().Results().Len() == 1 && testmodel.IsTestingType(fn.Signature().Results().At(0).Type()) {
			return true
		}
	}
	st, ok := knowledge.Deref(t).Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for field := range st.Fields() {
		if testmodel.IsTestingType(field.Type()) {
			return true
		}
	}
	return false
}

// within reports whether n is inside body.
func within(n, body ast.Node) bool {
	return body != nil && body.Pos() <= n.Pos() && n.End() <= body.End()
}

// foreign reports whether the testing value t belongs to a test that the
// region does not run: it comes from outside the region's code.
func (c *checker) foreign(r *region, t ast.Expr) bool {
	return c.foreignVar(r, testmodel.RootVar(c.pass.TypesInfo, t), 0)
}

func (c *checker) foreignVar(r *region, v *types.Var, depth int) bool {
	if v == nil || depth > 8 || r.byHelper && !testmodel.IsTestingType(v.Type()) {
		return false
	}
	if testmodel.IsPackageLevel(v) {
		return true
	}
	if v == r.own {
		return false
	}
	for _, p := range c.sums.Index.Params(r.ref) {
		if p == v {
			return true // bound by whoever started the region, on its goroutine
		}
	}
	if lit := r.ref.Lit; lit != nil && (v.Pos() < lit.Pos() || v.Pos() >= lit.End()) {
		if s := v.Parent(); s != nil && !s.Contains(lit.Pos()) {
			// Not in scope in the region, so not captured: reached
			// through a call that handed back a closure (expect :=
			// connect(t), connect a literal returning expectCommand(t)),
			// a parameter of another function holds what its caller
			// passed, not known here; a local holds what it is given.
			if def := c.sums.Index.Def(v); def != nil {
				return c.foreignVar(r, testmodel.RootVar(c.pass.TypesInfo, def), depth+1)
			}
			return c.passedForeign(r, v, depth)
		}
		// Captured, unless a subtest handed it its own testing value
		// (h.t = t) before using it.
		return !(r.own != nil && c.givenOwn(lit, v, r.own))
	}
	if r.ref.Func != nil {
		if d := c.sums.Index.Decl(r.ref.Func); d == nil || v.Pos() < d.Pos() || v.Pos() >= d.End() {
			return true
		}
	}
	// Declared inside: foreign if it holds a foreign value (tt := t).
	if def := c.sums.Index.Def(v); def != nil {
		if recv, ok := ast.Unparen(def).(*ast.UnaryExpr); ok && recv.Op == token.ARROW && r.ownsNoTest() {
			// s := <-sessions: what a channel from outside carries
			// belongs to a test, and no test runs on this goroutine.
			def = recv.X
		}
		return c.foreignVar(r, testmodel.RootVar(c.pass.TypesInfo, def), depth+1)
	}
	return false
}

// passedForeign reports whether every call of the function literal whose
// parameter v is passes it a value foreign to region r (connect(t) in the
// parent, the closure connect hands back called in a subtest), and there
// is one. Which call made the value in hand is not known: a call of it in
// the region itself, with the region's own t, keeps it silent.
func (c *checker) passedForeign(r *region, v *types.Var, depth int) bool {
	var lit *ast.FuncLit
	for _, f := range c.sums.Index.Funcs() {
		if l, ok := f.Node.(*ast.FuncLit); ok && slices.Contains(f.Params, v) {
			lit = l
			break
		}
	}
	if lit == nil {
		return false
	}
	i := slices.Index(c.sums.Index.Params(funcindex.Ref{Lit: lit}), v)
	passed := false
	for _, f := range c.sums.Index.Funcs() {
		for _, call := range f.Calls {
			ref, operands, ok := c.sums.Index.Callee(call)
			if !ok || ref.Lit != lit {
				continue
			}
			if i >= len(operands) || !c.foreignVar(r, testmodel.RootVar(c.pass.TypesInfo, operands[i]), depth+1) {
				return false
			}
			passed = true
		}
	}
	return passed
}

// givenOwn reports whether lit assigns own, its own testing value, to
// what v holds: h.t = t.
func (c *checker) givenOwn(lit *ast.FuncLit, v, own *types.Var) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, lhs := range as.Lhs {
				if testmodel.RootVar(info, lhs) == v && testmodel.VarOf(info, as.Rhs[i]) == own {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// report reports call, in region r, for f.
func (c *checker) report(r *region, call *ast.CallExpr, f finding, fix *analysis.SuggestedFix) {
	if c.reported[call.Pos()] {
		return
	}
	c.reported[call.Pos()] = true
	line := c.pass.Fset.Position(r.start.Pos()).Line

	stops := "FailNow"
	if strings.HasPrefix(f.method, "Skip") {
		stops = "SkipNow"
	}
	var where, related string
	var more []analysis.RelatedInformation
	switch r.kind {
	case kindGoroutine:
		where, related = fmt.Sprintf("a goroutine started at line %d", line), "the goroutine starts here"
	case kindCallback:
		where, related = fmt.Sprintf("a goroutine started by %s at line %d", r.whatWhere(), line), "the callback's goroutine starts here"
		switch {
		case r.kept == r.start:
			where = fmt.Sprintf("a goroutine that %s starts at line %d (it keeps the callback and runs it from there)", r.whatWhere(), line)
			related = r.what + " keeps the callback and runs it on a goroutine of its own"
		case r.kept != nil:
			kept := types.ExprString(r.kept.Fun)
			where = fmt.Sprintf("a goroutine that %s starts at line %d (%s keeps the callback at line %d and %s runs it from there)",
				r.whatWhere(), line, kept, c.pass.Fset.Position(r.kept.Pos()).Line, r.what)
			related = r.what + " runs the kept callback on a goroutine of its own"
			more = append(more, analysis.RelatedInformation{Pos: r.kept.Pos(), End: r.kept.End(), Message: kept + " keeps the callback here"})
		}
	case kindHandler:
		where, related = fmt.Sprintf("an HTTP handler, which the server runs on its own goroutine (registered at line %d)", line), "the handler is served from here"
	case kindSubtest:
		where, related = fmt.Sprintf("subtest %s (line %d), which runs on its own goroutine", r.what, line), "the subtest starts here"
		if r.what == "the fuzz target" {
			where, related = fmt.Sprintf("the fuzz target (line %d), which runs on its own goroutine", line), "the fuzz target is registered here"
		}
	}
	if r.inner != nil {
		more = append(more, analysis.RelatedInformation{Pos: r.inner.Pos(), End: r.inner.End(), Message: r.what + " starts the goroutine here"})
	}
	var msg string
	switch r.kind {
	case kindSubBenchmark:
		where, related = fmt.Sprintf("sub-benchmark %s (line %d), which runs on its own goroutine", r.what, line), "the sub-benchmark starts here"
		msg = fmt.Sprintf("%s is called inside %s, on %s, the testing value of an enclosing test or benchmark: %s there ends only the sub-benchmark's goroutine, and that test goes on running after Run returns; use the sub-benchmark's own testing value",
			f.subject, where, types.ExprString(f.t), stops)
	case kindSubtest:
		msg = fmt.Sprintf("%s is called inside %s, on the parent's testing value %s: %s there ends the subtest's goroutine, and the testing package then panics the whole test binary (\"test executed panic(nil) or runtime.Goexit: subtest may have called FailNow on a parent test\"); use the subtest's own testing value",
			f.subject, where, types.ExprString(f.t), stops)
	default:
		msg = fmt.Sprintf("%s is called on %s, not on the test's goroutine; %s there only ends that goroutine: %s",
			f.subject, where, stops, advice(f))
	}
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "failnow-" + r.kind,
		Message:  msg,
		Related:  append([]analysis.RelatedInformation{{Pos: r.start.Pos(), End: r.start.End(), Message: related}}, more...),
	}
	if fix != nil {
		diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(diag)
}

// advice says what to do instead of f.
func advice(f finding) string {
	t := types.ExprString(f.t)
	switch {
	case f.require != "" && f.assertions:
		return fmt.Sprintf("use the assert form of %s and return", f.require)
	case f.require != "":
		return fmt.Sprintf("use assert.%s and return", f.require)
	case f.helper:
		return "have it report with Error and return, or call it on the test's goroutine"
	case f.noTwin:
		return fmt.Sprintf("report without stopping the test (%s has no %s) and return", t, replacements[f.method])
	case f.method == "Fatal":
		return fmt.Sprintf("use %s.Error and return", t)
	case f.method == "Fatalf":
		return fmt.Sprintf("use %s.Errorf and return", t)
	case f.method == "FailNow":
		return fmt.Sprintf("use %s.Fail and return", t)
	}
	return "decide to skip on the test's goroutine, before starting this one"
}
