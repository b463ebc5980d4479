package cleanupctx

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
)

// report reports the use of a cancelled context arg in call.
func (c *checker) report(reg *registration, call *ast.CallExpr, arg ast.Expr, r reason, q *query, helper string) {
	if c.reported[arg.Pos()] {
		return
	}
	c.reported[arg.Pos()] = true

	use := types.ExprString(arg)
	entry := arg
	if q.entry != nil && !q.branched {
		entry = q.entry
	}
	var why string
	switch r.category {
	case categoryTestContext:
		t := types.ExprString(r.test)
		switch {
		case r.helper != "":
			why = fmt.Sprintf("%s derives it from %s.Context(), which is cancelled just before Cleanup functions are called", r.helper, t)
		case r.sub:
			why = fmt.Sprintf("%s.Context() is a subtest's context, cancelled when the subtest ends", t)
		case ast.Unparen(arg) == r.at:
			why = "it is cancelled just before Cleanup functions are called"
		default:
			why = fmt.Sprintf("%s.Context() is cancelled just before Cleanup functions are called", t)
		}
	case categoryDeferredCancel:
		if r.deferred {
			why = fmt.Sprintf("%s is deferred in %s, which returns before its cleanups run", r.cancel, c.funcName(reg.fn))
		} else {
			why = fmt.Sprintf("%s is called in %s before it returns", r.cancel, c.funcName(reg.fn))
		}
	}
	var msg string
	if helper != "" {
		msg = fmt.Sprintf("%s is cancelled before the cleanups run (%s), but %s uses it in a cleanup it registers on %s, which fails with context canceled; give that cleanup context.WithoutCancel of it",
			use, why, helper, types.ExprString(reg.t))
	} else {
		// An interface method or a function value may or may not read it.
		fails := "fails"
		if fn, _ := c.callee(call); fn == nil || isInterfaceMethod(fn) {
			fails = "may fail"
		}
		msg = fmt.Sprintf("%s is cancelled before the cleanup runs (%s), so %s %s with context canceled; pass context.WithoutCancel(%s)",
			use, why, calleeName(call), fails, types.ExprString(entry))
	}
	related := []analysis.RelatedInformation{{Pos: reg.call.Pos(), End: reg.call.End(), Message: "the cleanup is registered here"}}
	if helper != "" {
		related[0].Message = helper + " registers the cleanup here"
	}
	if r.at != nil && !(arg.Pos() <= r.at.Pos() && r.at.End() <= arg.End()) {
		var m string
		switch {
		case r.category == categoryDeferredCancel && r.deferred:
			m = r.cancel + " is deferred here"
		case r.category == categoryDeferredCancel:
			m = r.cancel + " is called here"
		case r.helper != "":
			m = "the context comes from " + r.helper + " here"
		default:
			m = types.ExprString(r.test) + ".Context() is called here"
		}
		related = append(related, analysis.RelatedInformation{Pos: r.at.Pos(), End: r.at.End(), Message: m})
	}
	diag := analysis.Diagnostic{
		Pos:      arg.Pos(),
		End:      arg.End(),
		Category: r.category,
		Message:  msg,
		Related:  related,
	}
	if helper == "" && reg.lit && q.entry != nil && !q.branched {
		if edits, ok := c.fix(q.entry); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Pass context.WithoutCancel(" + types.ExprString(q.entry) + ")",
				TextEdits: edits,
			}}
		}
	}
	c.pass.Report(diag)
}

// funcName names a function for a message.
func (c *checker) funcName(fn *funcindex.Func) string {
	if fn.Obj != nil {
		return fn.Obj.Name()
	}
	if lit, ok := fn.Node.(*ast.FuncLit); ok && c.subtests[lit] != "" {
		return "subtest " + c.subtests[lit]
	}
	return "the enclosing function literal"
}

// calleeName names what call calls, for a message.
func calleeName(call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	case *ast.FuncLit:
		return "the function literal"
	}
	return types.ExprString(fun)
}
