package serverready

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports requests that may run before the server they go to
// listens.
var Analyzer = &analysis.Analyzer{
	Name:     "serverready",
	Doc:      analysisutil.MustExtractDoc(doc, "serverready"),
	URL:      "https://github.com/testraces/testraces#serverready",
	Requires: []*analysis.Analyzer{inspect.Analyzer, summary.Analyzer},
	Run:      run,
}

// Categories of findings; each is a README anchor.
const (
	categoryRequest = "serverready-request"
	categoryHelper  = "serverready-helper"
	categoryRebind  = "serverready-rebind"
)

func run(pass *analysis.Pass) (any, error) {
	sums := pass.ResultOf[summary.Analyzer].(*summary.Result)
	c := &checker{pass: pass, sums: sums, reported: make(map[token.Pos]bool)}
	sums.EachFunc(func(node ast.Node, body *ast.BlockStmt) {
		if c.mayStart(body) {
			c.scan(sums.Events(body), nil)
		}
		c.rebinds(body)
	})
	return nil, nil
}

type checker struct {
	pass     *analysis.Pass
	sums     *summary.Result
	reported map[token.Pos]bool
}

// mayStart reports whether body may start a server on another goroutine:
// it has a go statement, a callback or a call of an unready helper. Only
// then are its events worth ordering.
func (c *checker) mayStart(body *ast.BlockStmt) bool {
	for _, site := range c.sums.Sites(body) {
		if site.Go != nil {
			return true
		}
		if site.Resolved {
			s := c.sums.Of(site.Ref)
			if s.Unready || s.Async != 0 || summary.AsyncOperands(site.Ref.Func) != 0 {
				return true
			}
		}
	}
	return false
}

// pending is a server start that nothing has waited for yet.
type pending struct {
	start summary.Event
	slept token.Pos // a time.Sleep (or a receive from time.After) since the start
}

// scan walks a function's events in order, with p the start pending when
// they begin (for a subtest body), and returns what is pending after them.
func (c *checker) scan(events []summary.Event, p *pending) *pending {
	for _, e := range events {
		switch e.Kind {
		case summary.EventStart:
			p = &pending{start: e}
		case summary.EventBarrier:
			if p != nil && e.Ch != nil && slices.Contains(p.start.Early, e.Ch) {
				continue // signalled before the server listens: no readiness
			}
			p = nil
		case summary.EventSleep:
			if p != nil {
				p.slept = e.Pos
			}
		case summary.EventRequest:
			if p != nil {
				c.report(e, p)
				p = nil
			}
		case summary.EventSubtest:
			if p != nil {
				p = c.scan(c.sums.Events(e.Lit.Body), p)
			}
		}
	}
	return p
}

// report reports the request e, which may run before the server of p listens.
func (c *checker) report(e summary.Event, p *pending) {
	if c.reported[e.Pos] {
		return
	}
	c.reported[e.Pos] = true
	start := p.start
	line := c.pass.Fset.Position(start.Pos).Line
	what := "request"
	if isMRun(c.pass.TypesInfo, e.Call) {
		what = "the tests that m.Run runs send requests that"
	}
	var msg string
	category := categoryRequest
	related := []analysis.RelatedInformation{{Pos: start.Node.Pos(), End: start.Node.End(), Message: "the server's goroutine starts here"}}
	if start.By.Valid() {
		category = categoryHelper
		name := types.ExprString(start.Call.Fun)
		msg = fmt.Sprintf("%s may run before the server that %s started at line %d listens: %s returns before the server's goroutine has created its listener; create the listener with net.Listen before starting the goroutine, or wait for a readiness signal",
			what, name, line, name)
		related[0].Message = name + " starts the server here and returns without waiting"
		if g := c.helperStart(start.By); g != nil {
			related = append(related, analysis.RelatedInformation{Pos: g.Pos(), End: g.End(), Message: "the helper's server goroutine starts here"})
		}
	} else {
		msg = fmt.Sprintf("%s may run before the server started at line %d listens: create the listener with net.Listen before starting the server's goroutine, or wait for a readiness signal",
			what, line)
	}
	if p.slept.IsValid() {
		msg += fmt.Sprintf(" (the sleep at line %d only makes the race rarer: sleeping is not waiting)", c.pass.Fset.Position(p.slept).Line)
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
}

// helperStart returns the node that starts the server in a helper of this
// package, for the Related information.
func (c *checker) helperStart(ref testmodel.Ref) ast.Node {
	body := c.sums.Funcs.Body(ref)
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

func isMRun(info *types.Info, call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Run" {
		return false
	}
	t := info.TypeOf(sel.X)
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" && named.Obj().Name() == "M"
}
