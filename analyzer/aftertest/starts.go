package aftertest

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// startedUse checks site, a call in f's code of a function that starts a
// goroutine using the test of an operand (a server's Start, built with
// the test's logger), and reports it when the test never stops what it
// started: no use of that operand after the call, in a defer or in a
// cleanup.
func (c *checker) startedUse(f *funcindex.Func, site summary.Site) {
	if site.Go != nil || !site.Resolved || site.Ref.Func == nil {
		return
	}
	fact := c.factOf(site.Ref.Func)
	if fact == nil || fact.AsyncLogs|fact.AsyncFails == 0 {
		return
	}
	for i, op := range site.Operands {
		if !fact.AsyncLogs.Has(i) && !fact.AsyncFails.Has(i) {
			continue
		}
		s, ok := c.sourceOf(op, 0)
		if !ok || !c.boundToTest(s) {
			continue
		}
		o := c.ownerOf(f)
		if o == nil || o.synctest {
			return
		}
		v := testmodel.RootVar(c.pass.TypesInfo, op)
		if v == nil || v == o.t {
			// startWorker(t.Logf), startWith(t): nothing the test holds
			// stops that goroutine.
			if c.reportsItself(site.Ref.Func, i) || !c.dropsResult(f, site.Call) {
				return
			}
			kind := reachLog
			if fact.AsyncFails.Has(i) || s.kind == reachFail {
				kind = reachFail
			}
			c.reportStarted(o, site.Call, nil, nil, use{call: site.Call, src: s, kind: kind})
			return
		}
		if v.IsField() || testmodel.IsPackageLevel(v) {
			return // kept where the test may stop it
		}
		var weak *stop
		if uses := c.usesAfter(o, v, site.Call); len(uses) > 0 {
			if weak = c.stopsWithoutWaiting(uses); weak == nil {
				return // stopped, maybe waiting for what it started
			}
		}
		kind := reachLog
		if fact.AsyncFails.Has(i) || s.kind == reachFail {
			kind = reachFail
		}
		c.reportStarted(o, site.Call, weak, v, use{call: site.Call, src: s, kind: kind})
		return
	}
}

// reportsItself reports whether fn, given a testing value as operand i,
// is an owner of its own (a helper with no receiver and no results taking
// the testing value): its goroutines are reported in its code.
func (c *checker) reportsItself(fn *types.Func, i int) bool {
	sig := fn.Signature()
	if sig.Recv() != nil || sig.Results().Len() > 0 || i >= sig.Params().Len() {
		return false
	}
	return testmodel.IsTestingType(sig.Params().At(i).Type())
}

// dropsResult reports whether call, in f's code, leaves the test nothing
// to stop what it started with: no results, or results dropped.
func (c *checker) dropsResult(f *funcindex.Func, call *ast.CallExpr) bool {
	sig, ok := c.pass.TypesInfo.TypeOf(call.Fun).(*types.Signature)
	return ok && (sig.Results().Len() == 0 || c.isStatement(f, call))
}

// reportStarted reports call, which starts a goroutine that uses the test
// through v and that the test never stops; or, when weak is not nil,
// stops only with that call, which does not wait for the goroutine.
func (c *checker) reportStarted(o *owner, call *ast.CallExpr, weak *stop, v *types.Var, u use) {
	name := analysisutil.CalleeName(call)
	var where, advice string
	if v == nil {
		where = fmt.Sprintf("%s starts a goroutine that uses it and does not wait for it", name)
		advice = fmt.Sprintf("have %s wait for its goroutine, or return a way to stop it that the test calls in t.Cleanup", name)
	} else {
		where = fmt.Sprintf("%s starts a goroutine that uses %s, and the test never stops %s", name, v.Name(), v.Name())
		advice = fmt.Sprintf("stop %s before the test ends, with a method that waits for its goroutines (in t.Cleanup)", v.Name())
	}
	at := ast.Node(call)
	if weak != nil {
		where = fmt.Sprintf("%s (line %d) starts a goroutine that uses %s, and %s does not wait for it", name, c.line(call.Pos()), v.Name(), weak.describe(v))
		advice = fmt.Sprintf("stop %s with a method that waits for its goroutines", v.Name())
		at = weak.call
	}
	subject := "the test"
	switch origin := u.src.origin.(type) {
	case nil:
	case *ast.CompositeLit:
		// A value holding the testing value itself, or a logger.
		subject = fmt.Sprintf("%s, held by %s at line %d,", u.src.v.Name(), originName(origin), c.line(origin.Pos()))
	default:
		subject = fmt.Sprintf("the logger bound to %s by %s at line %d", u.src.v.Name(), originName(origin), c.line(origin.Pos()))
	}
	var outcome, category string
	if u.kind == reachFail {
		outcome, category = "the testing package then panics the whole test binary", "aftertest-fail"
	} else {
		outcome, category = "the testing package then writes its line to a parent test still running, or panics the whole test binary once every test has completed", "aftertest-log"
	}
	diag := analysis.Diagnostic{
		Pos: at.Pos(), End: at.End(), Category: category,
		Message: fmt.Sprintf("%s may be used after %s has completed: %s, and %s; %s", subject, o.name, where, outcome, advice),
	}
	if u.src.origin != nil {
		diag.Related = []analysis.RelatedInformation{{Pos: u.src.origin.Pos(), End: u.src.origin.End(), Message: "bound to the test here"}}
	}
	if weak != nil {
		diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: call.Pos(), End: call.End(), Message: "the goroutine starts here"})
	}
	c.pass.Report(diag)
}
