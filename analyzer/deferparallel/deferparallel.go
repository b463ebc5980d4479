package deferparallel

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports defers that run before the parallel subtests that use
// what they tear down.
var Analyzer = &analysis.Analyzer{
	Name:      "deferparallel",
	Doc:       analysisutil.MustExtractDoc(doc, "deferparallel"),
	URL:       "https://github.com/testraces/testraces#deferparallel",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(parallelFact)},
}

// Categories of findings; each is a README anchor.
const (
	categoryShared   = "defer-shared-resource"
	categoryProcess  = "defer-process-state"
	categoryTeardown = "defer-setup-teardown"
)

func run(pass *analysis.Pass) (any, error) {
	sums := pass.ResultOf[summary.Analyzer].(*summary.Result)
	pass.Report = sums.Index.SkipNeverRun(pass.Report)
	// Every package's helpers may make its importers' tests parallel.
	p := newParallelism(pass, sums)
	if !analysisutil.Imports(pass.Pkg, "testing") || len(p.funcs) == 0 {
		return nil, nil
	}
	g := &guards{info: pass.TypesInfo, fam: p}
	sources := analysisutil.NewSources(pass)
	// Only functions with defers are looked at further.
	for _, fn := range sums.Index.Funcs() {
		if len(fn.Defers) == 0 {
			continue
		}
		c := &checker{sources: sources, pass: pass, sums: sums, fam: p, guards: g, root: fn.Root().Node}
		switch n := fn.Node.(type) {
		case *ast.FuncDecl:
			c.function(fn.Body, n.Type, func() string { return n.Name.Name }, fn.Defers)
		case *ast.FuncLit:
			c.function(fn.Body, n.Type, func() string { return c.litName(n) }, fn.Defers)
		}
	}
	return nil, nil
}

// litName describes a function literal for a message: the subtest whose
// body it is, or "the function literal".
func (c *checker) litName(lit *ast.FuncLit) string {
	info := c.pass.TypesInfo
	name := "the function literal"
	ast.Inspect(c.root, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if _, tname, body, ok := testmodel.RunCall(info, call); ok && ast.Unparen(body) == lit {
				name = "subtest " + testmodel.SubtestName(info, tname)
				return false
			}
		}
		return name == "the function literal"
	})
	return name
}

// checker checks the functions of one top-level function.
type checker struct {
	sources *analysisutil.Sources // the files fixes are built from, read once
	pass    *analysis.Pass
	sums    *summary.Result
	fam     *parallelism
	guards  *guards
	root    ast.Node // *ast.FuncDecl, or *ast.FuncLit outside any
}

// function checks the defers of one function body against the parallel
// subtests it starts.
func (c *checker) function(body *ast.BlockStmt, typ *ast.FuncType, name func() string, defers []*ast.DeferStmt) {
	subtests := c.fam.subtests(body)
	if len(subtests) == 0 {
		return
	}
	guards := make([]guard, len(subtests))
	for i, st := range subtests {
		guards[i] = c.guards.subtest(st, body)
	}
	var fixes *fixer
	for _, d := range defers {
		// A defer under if *update never runs in the same test run as
		// subtests that are parallel only under !*update.
		g := c.guards.of(d, body)
		var live []parallelSubtest
		var liveGuards []guard
		for i, st := range subtests {
			if !g.excludes(guards[i]) {
				live = append(live, st)
				liveGuards = append(liveGuards, guards[i])
			}
		}
		if len(live) == 0 {
			continue
		}
		f, ok := c.finding(d, live, liveGuards)
		if !ok {
			continue
		}
		if fixes == nil {
			fixes = newFixer(c, body, typ, defers)
		}
		c.report(d, f, name(), fixes)
	}
}

// A finding is why one defer runs too early for one subtest.
type finding struct {
	category string
	subtest  parallelSubtest
	used     *types.Var    // the subtest's variable that shares state with the defer
	setup    *ast.CallExpr // the setup call that returned the deferred teardown
}

// finding decides whether the deferred call of d shares state with one of
// the parallel subtests; guards[i] holds whenever subtests[i] run in
// parallel.
func (c *checker) finding(d *ast.DeferStmt, subtests []parallelSubtest, guards []guard) (finding, bool) {
	info := c.pass.TypesInfo
	call := d.Call
	if isRelease(info, call) || isReport(info, call) {
		return finding{}, false
	}
	if setup, ok := c.setupCall(call); ok {
		return finding{category: categoryTeardown, subtest: subtests[0], setup: setup}, true
	}
	switch {
	case c.restoresProcessState(call):
		return finding{category: categoryProcess, subtest: subtests[0]}, true
	}
	res := c.fam.resourcesOf(c.root)
	deferred := res.of(call)
	if len(deferred) == 0 {
		return finding{}, false
	}
	handle := closesFileHandle(info, call)
	for i, st := range subtests {
		for _, v := range st.Uses {
			if handle && deferred[v] || !handle && res.sharesWith(v, deferred) && c.mayReadShared(st, guards[i], v, res, deferred) {
				return finding{category: categoryShared, subtest: st, used: v}, true
			}
		}
	}
	return finding{}, false
}

// closesFileHandle reports whether call is f.Close() on an *os.File:
// closing the handle leaves what was computed from it (its name, its
// path) as good as before, so only the handle itself is shared.
func closesFileHandle(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Close" && knowledge.IsType(info.TypeOf(sel.X), "os", "File")
}

// setupCall returns the setup call whose result call runs: setup(t) in
// defer setup(t)(), or in teardown := setup(t); defer teardown().
func (c *checker) setupCall(call *ast.CallExpr) (*ast.CallExpr, bool) {
	fun := ast.Unparen(call.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && c.sums.Index.AssignedOnce(v) {
			if b := c.sums.Index.Bindings(v); len(b) == 1 {
				fun = ast.Unparen(b[0])
			}
		}
	}
	setup, ok := fun.(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	tv := c.pass.TypesInfo.Types[setup.Fun]
	return setup, !tv.IsType() && !tv.IsBuiltin()
}

// restoresProcessState reports whether call changes state that every
// goroutine of the process shares.
func (c *checker) restoresProcessState(call *ast.CallExpr) bool {
	ref, _, ok := c.sums.Index.Callee(call)
	return ok && c.fam.processState(ref)
}

// isRelease reports whether call releases something that others wait for:
// unlocking, marking a WaitGroup done, closing a channel, signalling a
// condition. Parallel subtests may be waiting for exactly that, so moving
// it later would deadlock them; and it tears nothing down.
func isRelease(info *types.Info, call *ast.CallExpr) bool {
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return fn.Name() == "close"
	case *types.Func:
		return knowledge.Releases(fn)
	}
	return false
}

// isReport reports whether call only reports or logs (t.Log, fmt.Println,
// log.Printf, slog.Info, ...): it reads what it prints and tears nothing down.
func isReport(info *types.Info, call *ast.CallExpr) bool {
	if _, _, ok := testmodel.TestingMethod(info, call); ok {
		return true
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return knowledge.OnlyReports(fn)
}

// report reports d for f.
func (c *checker) report(d *ast.DeferStmt, f finding, fnName string, fixes *fixer) {
	info := c.pass.TypesInfo
	st := f.subtest
	t := types.ExprString(st.T)

	var what string
	verbs := [2]string{"use", "run"}
	switch {
	case st.Name == nil:
		what = "the parallel subtests started by " + analysisutil.CalleeName(st.Start)
	case isConstant(info, st.Name):
		what, verbs = "parallel subtest "+testmodel.SubtestName(info, st.Name), [2]string{"uses", "runs"}
	default: // t.Run(tc.name, ...), in a loop, most often
		what = "the parallel subtests named by " + types.ExprString(st.Name)
	}
	deferred := types.ExprString(d.Call.Fun)
	if _, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
		deferred = "a function literal"
	}
	var msg string
	switch f.category {
	case categoryShared:
		msg = fmt.Sprintf("%s is deferred, but %s %s %s and %s after %s returns; use %s.Cleanup",
			deferred, what, verbs[0], f.used.Name(), verbs[1], fnName, t)
	case categoryProcess:
		msg = fmt.Sprintf("%s is deferred and restores process-wide state, but %s %s after %s returns, when the state is already restored; use %s.Cleanup",
			deferred, what, verbs[1], fnName, t)
	case categoryTeardown:
		setup := types.ExprString(f.setup)
		if ast.Unparen(d.Call.Fun) == f.setup {
			deferred = "the teardown returned by " + setup
		}
		msg = fmt.Sprintf("%s is deferred, but %s %s after %s returns, when what %s set up is already torn down; use %s.Cleanup",
			deferred, what, verbs[1], fnName, setup, t)
	}

	related := "the subtest becomes parallel here"
	if st.Parallel == st.Start {
		related = "parallel subtests start here"
	}
	diag := analysis.Diagnostic{
		Pos:      d.Pos(),
		End:      d.End(),
		Category: f.category,
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: st.Parallel.Pos(), End: st.Parallel.End(), Message: related}},
	}
	if edits, ok := fixes.upTo(d, st.T); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   fmt.Sprintf("Register with %s.Cleanup instead of defer", t),
			TextEdits: edits,
		}}
	}
	c.pass.Report(diag)
}

// isConstant reports whether e is a constant.
func isConstant(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil
}
