package cleanupctx

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A use is a call of a cleanup that uses a cancelled context.
type use struct {
	call *ast.CallExpr
	arg  ast.Expr // the context argument
	r    reason
	q    *query
}

// derivedInCleanup reports whether the cleanup gets u's context from
// another of its own expressions than the argument (a context.WithTimeout
// of t.Context() a statement earlier, a copy of it): that expression, where
// the fix goes, is the one to change.
func (u use) derivedInCleanup() bool {
	e := u.q.entry
	return e != nil && !u.q.branched && !within(e, u.arg)
}

// within reports whether inner is part of outer's syntax.
func within(inner, outer ast.Node) bool {
	return outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

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
	why := c.why(reg, r, arg)
	var msg string
	if helper != "" {
		msg = fmt.Sprintf("%s is cancelled before the cleanups run (%s), but %s uses it in a cleanup it registers on %s, which fails with context canceled; give that cleanup context.WithoutCancel of it",
			use, why, helper, types.ExprString(reg.t))
	} else {
		msg = fmt.Sprintf("%s is cancelled before the cleanup runs (%s), so %s %s with context canceled; pass context.WithoutCancel(%s)",
			use, why, calleeName(call), c.fails(call), types.ExprString(entry))
	}
	related := []analysis.RelatedInformation{registered(reg, helper)}
	related = appendOrigin(related, r, arg)
	diag := analysis.Diagnostic{
		Pos:      arg.Pos(),
		End:      arg.End(),
		Category: r.category,
		Message:  msg,
		Related:  related,
	}
	if helper == "" {
		c.addFix(&diag, reg, q)
	}
	c.pass.Report(diag)
}

// reportDerivation reports uses, each of a context that the cleanup gets
// from the same cancelled one, at that entry: the expression to change.
// The uses are its related positions.
func (c *checker) reportDerivation(reg *registration, uses []use) {
	first := uses[0]
	entry := first.q.entry
	if c.reported[entry.Pos()] {
		return
	}
	c.reported[entry.Pos()] = true

	var callees, args []string
	mayFail := true
	related := []analysis.RelatedInformation{registered(reg, "")}
	for _, u := range uses {
		name := calleeName(u.call)
		callees = appendNew(callees, name)
		args = appendNew(args, types.ExprString(u.arg))
		mayFail = mayFail && c.fails(u.call) != "fails"
		related = append(related, analysis.RelatedInformation{
			Pos: u.arg.Pos(), End: u.arg.End(), Message: name + " uses " + types.ExprString(u.arg) + " here",
		})
	}
	fails := "fails"
	switch {
	case mayFail:
		fails = "may fail"
	case len(callees) > 1:
		fails = "fail"
	}
	e := types.ExprString(entry)
	msg := fmt.Sprintf("%s is cancelled before the cleanup runs (%s), so %s %s with context canceled on %s, which comes from it; pass context.WithoutCancel(%s)",
		e, c.why(reg, first.r, entry), strings.Join(callees, " and "), fails, strings.Join(args, " and "), e)
	diag := analysis.Diagnostic{
		Pos:      entry.Pos(),
		End:      entry.End(),
		Category: first.r.category,
		Message:  msg,
		Related:  appendOrigin(related, first.r, entry),
	}
	c.addFix(&diag, reg, first.q)
	c.pass.Report(diag)
}

// appendNew appends s to list unless list has it.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// why says, for a message about the context e, why r makes it cancelled
// when the cleanup runs.
func (c *checker) why(reg *registration, r reason, e ast.Expr) string {
	switch r.category {
	case categoryTestContext:
		t := types.ExprString(r.test)
		switch {
		case r.helper != "":
			return fmt.Sprintf("%s derives it from %s.Context(), which is cancelled just before Cleanup functions are called", r.helper, t)
		case r.sub:
			return fmt.Sprintf("%s.Context() is a subtest's context, cancelled when the subtest ends", t)
		case ast.Unparen(e) == r.at:
			return "it is cancelled just before Cleanup functions are called"
		default:
			return fmt.Sprintf("%s.Context() is cancelled just before Cleanup functions are called", t)
		}
	case categoryDeferredCancel:
		if r.deferred {
			return fmt.Sprintf("%s is deferred in %s, which returns before its cleanups run", r.cancel, c.funcName(reg.fn))
		}
		return fmt.Sprintf("%s is called in %s before it returns", r.cancel, c.funcName(reg.fn))
	}
	return ""
}

// fails says whether call fails with a cancelled context: an interface
// method or a function value may or may not read it.
func (c *checker) fails(call *ast.CallExpr) string {
	if fn, _ := c.callee(call); fn == nil || isInterfaceMethod(fn) {
		return "may fail"
	}
	return "fails"
}

// registered is the related position of the call that registers the
// cleanup: t.Cleanup, or the helper that calls it.
func registered(reg *registration, helper string) analysis.RelatedInformation {
	m := "the cleanup is registered here"
	if helper != "" {
		m = helper + " registers the cleanup here"
	}
	return analysis.RelatedInformation{Pos: reg.call.Pos(), End: reg.call.End(), Message: m}
}

// appendOrigin appends the position of r's origin (the Context() call, the
// helper call, the cancel statement) unless it is part of the reported
// expression e, which shows it already.
func appendOrigin(related []analysis.RelatedInformation, r reason, e ast.Expr) []analysis.RelatedInformation {
	if r.at == nil || within(r.at, e) {
		return related
	}
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
	return append(related, analysis.RelatedInformation{Pos: r.at.Pos(), End: r.at.End(), Message: m})
}

// addFix adds the fix that wraps q's entry in context.WithoutCancel, when
// the cleanup is a literal (a named function may run elsewhere too) and
// the context has one way into it.
func (c *checker) addFix(diag *analysis.Diagnostic, reg *registration, q *query) {
	if !reg.lit || q.entry == nil || q.branched {
		return
	}
	if edits, ok := c.fix(q.entry); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "Pass context.WithoutCancel(" + types.ExprString(q.entry) + ")",
			TextEdits: edits,
		}}
	}
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
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return "the function literal"
	}
	return analysisutil.CalleeName(call)
}

// reportHelper reports top, a call of the cleanup that runs fn, which uses
// the Context() of t, a testing value of the cleanup's test (or of a
// subtest, sub), as its fact u says.
func (c *checker) reportHelper(reg *registration, top *ast.CallExpr, fn *types.Func, u TestContextUse, t string, sub bool) {
	if c.reported[top.Pos()] {
		return
	}
	c.reported[top.Pos()] = true

	name := calleeName(top)
	in := ""
	if called, _ := c.callee(top); u.Via != "" && (called == nil || u.Via != called.Name()) {
		in = " (in " + u.Via + ")"
	}
	why := "which is cancelled just before Cleanup functions are called"
	if sub {
		why = "a subtest's context, cancelled when the subtest ends"
	}
	msg := fmt.Sprintf("%s uses %s.Context()%s, %s, so what it does with it fails with context canceled; have it take a context, and pass it context.WithoutCancel(%s.Context()) from the cleanup",
		name, t, in, why, t)
	related := []analysis.RelatedInformation{registered(reg, "")}
	if site, ok := c.sites[siteKey{fn.Origin(), u.T, u.Field}]; ok {
		related = append(related, analysis.RelatedInformation{Pos: site.Pos(), End: site.End(), Message: c.siteMessage(site)})
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      top.Pos(),
		End:      top.End(),
		Category: categoryTestContext,
		Message:  msg,
		Related:  related,
	})
}

// siteMessage says what a helper's site is: its t.Context() call, or its
// call of the helper (of another package) that the context comes from or
// goes to.
func (c *checker) siteMessage(site ast.Node) string {
	call, ok := site.(*ast.CallExpr)
	if !ok {
		return "the context comes from here"
	}
	if _, fn, ok := testmodel.TestingMethod(c.info, call); ok && fn.Name() == "Context" {
		return types.ExprString(call) + " is called here"
	}
	return calleeName(call) + " is called here"
}

// reportHelperLiteral reports top, a call of the cleanup that runs a
// function literal of the package, for u, a use in it of a context
// cancelled when the cleanup runs.
func (c *checker) reportHelperLiteral(reg *registration, top *ast.CallExpr, u use) {
	if c.reported[top.Pos()] {
		return
	}
	c.reported[top.Pos()] = true

	arg := types.ExprString(u.arg)
	entry := arg
	if u.q.entry != nil && !u.q.branched {
		entry = types.ExprString(u.q.entry)
	}
	msg := fmt.Sprintf("%s calls %s with %s, which is cancelled before the cleanup runs (%s), so it %s with context canceled; use context.WithoutCancel(%s) in %[1]s",
		calleeName(top), calleeName(u.call), arg, c.why(reg, u.r, u.arg), c.fails(u.call), entry)
	related := []analysis.RelatedInformation{
		registered(reg, ""),
		{Pos: u.arg.Pos(), End: u.arg.End(), Message: calleeName(u.call) + " uses " + arg + " here"},
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      top.Pos(),
		End:      top.End(),
		Category: u.r.category,
		Message:  msg,
		Related:  appendOrigin(related, u.r, u.arg),
	})
}
