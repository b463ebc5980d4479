package serverready

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/listens"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports requests that may run before the server they go to
// listens.
var Analyzer = &analysis.Analyzer{
	Name:      "serverready",
	Doc:       analysisutil.MustExtractDoc(doc, "serverready"),
	URL:       "https://github.com/testraces/testraces#serverready",
	Requires:  []*analysis.Analyzer{summary.Analyzer, listens.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(freedFact)},
}

// Categories of findings; each is a README anchor.
const (
	categoryRequest = "serverready-request"
	categoryHelper  = "serverready-helper"
	categoryRebind  = "serverready-rebind"
	// Go 1.27's httptest.NewTestServer: its URL read before anything set
	// it, and a request through a client that cannot reach it.
	categoryTestServerURL    = "serverready-testserver-url"
	categoryTestServerClient = "serverready-testserver-client"
)

func run(pass *analysis.Pass) (any, error) {
	sums := pass.ResultOf[summary.Analyzer].(*summary.Result)
	pass.Report = sums.Index.SkipNeverRun(pass.Report)
	c := &checker{sources: analysisutil.NewSources(pass), pass: pass, sums: sums, listens: pass.ResultOf[listens.Analyzer].(*listens.Result), reported: make(map[token.Pos]bool), callbackRequests: make(map[*types.Func][]summary.Event), params: make(map[*types.Var]*paramEffect)}
	c.freedResults(pass)
	testServers := importsHTTPTest(pass.Pkg)
	for _, fn := range sums.Index.Funcs() {
		// Only test code races its own servers: a main that starts a
		// server and dials its parent process is no test.
		if !c.isTestCode(fn) {
			continue
		}
		if sums.MayStart(fn.Body) {
			sums.Scan(sums.Events(fn.Body), nil, c.report)
		}
		c.rebinds(fn)
		if testServers {
			c.testServers(fn)
		}
	}
	c.reportCallbackHelpers()
	return nil, nil
}

// importsHTTPTest reports whether pkg imports net/http/httptest (or a copy
// of it), whose NewTestServer the package may call.
func importsHTTPTest(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if knowledge.IsHTTPTest(imp.Path()) {
			return true
		}
	}
	return false
}

// isTestCode reports whether fn is test code: declared in a _test.go
// file, or taking or holding a testing value (or inside such a function).
func (c *checker) isTestCode(fn *funcindex.Func) bool {
	if fn.InTest {
		return true
	}
	info := c.pass.TypesInfo
	return testmodel.HandlesTestingValue(info, fn.Node) || testmodel.HandlesTestingValue(info, fn.Root().Node)
}

type checker struct {
	sources  *analysisutil.Sources // the files fixes are built from, read once
	pass     *analysis.Pass
	sums     *summary.Result
	listens  *listens.Result // which operands of a call are the address it listens on
	reported map[token.Pos]bool
	// The package's helpers that call the function they are given while
	// the server they started may not listen yet, and the requests that
	// their callers' functions send (see reportCallbackHelpers).
	callbackHelpers  []*types.Func
	callbackRequests map[*types.Func][]summary.Event
	freed            map[*types.Func]uint64      // the free-port helpers, and which of their results are freed addresses
	freedLits        map[*ast.FuncLit]uint64     // the same, for the package's function literals (freePort := func() int { ... })
	params           map[*types.Var]*paramEffect // what the package's functions do with their NewTestServer parameters
}

// report reports the request e, which may run before the server of p
// listens, and tells the scan that the start is dealt with: the requests
// after it are reported only once.
func (c *checker) report(e summary.Event, p *summary.Pending) bool {
	if e.Kind != summary.EventRequest {
		return false
	}
	if c.reported[e.Pos] {
		return true
	}
	c.reported[e.Pos] = true
	start := p.Start
	if h := start.By.Func; h != nil && inArgs(start.Call, e.Node) && c.sums.Index.Decl(h) != nil {
		// One finding in the helper, for all its callers.
		if c.callbackRequests[h] == nil {
			c.callbackHelpers = append(c.callbackHelpers, h)
		}
		c.callbackRequests[h] = append(c.callbackRequests[h], e)
		return true
	}
	line := c.pass.Fset.Position(start.Pos).Line
	what := "request"
	if e.Tests {
		what = "the tests that m.Run runs send requests that"
	}
	var msg string
	category := categoryRequest
	related := []analysis.RelatedInformation{{Pos: start.Node.Pos(), End: start.Node.End(), Message: "the server's goroutine starts here"}}
	if start.By.Valid() {
		category = categoryHelper
		name := types.ExprString(start.Call.Fun)
		does, without := "returns", "returns without waiting"
		if inArgs(start.Call, e.Node) {
			// WithServer(t, func(url string) { http.Get(url) })
			does, without = "calls the function it is given", "calls the function it is given without waiting"
		}
		msg = fmt.Sprintf("%s may run before the server that %s started at line %d listens: %s %s before the server's goroutine has created its listener; create the listener with net.Listen before starting the goroutine, or wait for a readiness signal",
			what, name, line, name, does)
		related[0].Message = name + " starts the server here and " + without
		if g := c.helperStart(start.By); g != nil {
			related = append(related, analysis.RelatedInformation{Pos: g.Pos(), End: g.End(), Message: "the helper's server goroutine starts here"})
		}
	} else if name, ok := c.unreadyServer(start); ok {
		msg = fmt.Sprintf("%s may run before the server that %s starts (line %d) listens: %s creates its listener on a goroutine of its own and does not say when it listens; wait for a readiness signal or for a dial that succeeds, or listen with net.Listen first and serve that listener",
			what, name, line, name)
		related[0].Message = name + " starts the server here"
		if g := c.helperStart(start.Server); g != nil {
			related = append(related, analysis.RelatedInformation{Pos: g.Pos(), End: g.End(), Message: name + " starts its server's goroutine here"})
		}
	} else {
		msg = fmt.Sprintf("%s may run before the server started at line %d listens: create the listener with net.Listen before starting the server's goroutine, or wait for a readiness signal",
			what, line)
	}
	slept := p.Slept
	if !slept.IsValid() && start.By.Valid() {
		slept = c.helperSleep(start.By)
	}
	if slept.IsValid() {
		msg += fmt.Sprintf(" (the sleep at line %d only makes the race rarer: sleeping is not waiting)", c.pass.Fset.Position(slept).Line)
	}
	diag := analysis.Diagnostic{
		Pos: e.Node.Pos(), End: e.Node.End(),
		Category: category,
		Message:  msg,
		Related:  related,
	}
	if !start.By.Valid() {
		if fix := c.fix(start); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	c.pass.Report(diag)
	return true
}

// reportCallbackHelpers reports, once in each helper of the package that
// calls the function it is given while the server it started may not
// listen yet (WithServer(t, func(url string) {...})), that call: the
// requests its callers' functions send may come first. The helper is
// what to change, however many tests call it.
func (c *checker) reportCallbackHelpers() {
	for _, h := range c.callbackHelpers {
		body := c.sums.Index.Body(funcindex.Ref{Func: h})
		if body == nil {
			continue
		}
		var call summary.Event
		var pending *summary.Pending
		c.sums.Scan(c.sums.Events(body), nil, func(e summary.Event, p *summary.Pending) bool {
			if e.Kind == summary.EventCallParam && pending == nil {
				call, pending = e, p
			}
			return false
		})
		if pending == nil {
			continue
		}
		requests := c.callbackRequests[h]
		first := c.pass.Fset.Position(requests[0].Pos)
		where := fmt.Sprintf("line %d", first.Line)
		if first.Filename != c.pass.Fset.Position(call.Pos).Filename {
			where = fmt.Sprintf("%s:%d", filepath.Base(first.Filename), first.Line)
		}
		if len(requests) > 1 {
			where += fmt.Sprintf(" and %d more", len(requests)-1)
		}
		start := pending.Start
		name := types.ExprString(call.Call.Fun)
		msg := fmt.Sprintf("the requests that %s sends (%s) may run before the server started at line %d listens: %s is called before the server's goroutine has created its listener; create the listener with net.Listen before starting the goroutine, or wait for a readiness signal",
			name, where, c.pass.Fset.Position(start.Pos).Line, name)
		if pending.Slept.IsValid() {
			msg += fmt.Sprintf(" (the sleep at line %d only makes the race rarer: sleeping is not waiting)", c.pass.Fset.Position(pending.Slept).Line)
		}
		diag := analysis.Diagnostic{
			Pos: call.Node.Pos(), End: call.Node.End(),
			Category: categoryHelper,
			Message:  msg,
			Related: []analysis.RelatedInformation{
				{Pos: start.Node.Pos(), End: start.Node.End(), Message: "the server's goroutine starts here"},
				{Pos: requests[0].Node.Pos(), End: requests[0].Node.End(), Message: "a request that " + name + " sends"},
			},
		}
		if fix := c.fix(start); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		c.pass.Report(diag)
	}
}

// inArgs reports whether n is in the arguments of call.
func inArgs(call *ast.CallExpr, n ast.Node) bool {
	return call.Lparen < n.Pos() && n.End() <= call.Rparen
}

// unreadyServer returns the name of the function that start runs on a
// goroutine, when that function does not listen itself but starts yet
// another goroutine that does (go g.Run(ctx)).
func (c *checker) unreadyServer(start summary.Event) (string, bool) {
	if start.Server.Func == nil || start.Started == nil || !c.sums.Effect(start.Server).Unready {
		return "", false
	}
	return types.ExprString(start.Started), true
}

// helperSleep returns where a helper of this package sleeps after it
// starts its server instead of waiting for it, if it does.
func (c *checker) helperSleep(ref funcindex.Ref) token.Pos {
	body := c.sums.Index.Body(ref)
	if body == nil {
		return token.NoPos
	}
	if p := c.sums.Scan(c.sums.Events(body), nil, nil).Definite(); p != nil {
		return p.Slept // still pending when it returns: it slept, if at all, instead of waiting
	}
	return token.NoPos
}

// helperStart returns the node that starts the server in a helper of this
// package, for the Related information.
func (c *checker) helperStart(ref funcindex.Ref) ast.Node {
	body := c.sums.Index.Body(ref)
	if body == nil {
		return nil
	}
	for _, e := range c.sums.Events(body) {
		if e.Kind == summary.EventStart {
			if e.By.Valid() {
				return c.helperStart(e.By)
			}
			return e.Node
		}
	}
	return nil
}
