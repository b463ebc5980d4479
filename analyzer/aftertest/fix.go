package aftertest

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// fix returns the fix for g, a go statement of f that o does not wait
// for: a sync.WaitGroup that o's cleanup waits for. It is offered only
// for go func() { ... }() written in the test function itself, outside
// any loop, whose body ends by itself (it calls nothing that may block) or
// when the test's context is cancelled, which happens before cleanups
// run: waiting for it in a cleanup cannot deadlock.
func (c *checker) fix(o *owner, f *funcindex.Func, g *ast.GoStmt, u use) *analysis.SuggestedFix {
	lit, ok := g.Call.Fun.(*ast.FuncLit)
	if !ok || !o.test || o.synctest || f != o.fn || len(g.Call.Args) > 0 || lit.Type.Params.NumFields() > 0 || c.idx.LoopOf(g.Call) != nil {
		return nil
	}
	fn := c.idx.Func(lit)
	if fn == nil || !c.endsByItself(o, c.withLiterals(fn)) {
		return nil
	}
	// The test's own testing value must be in scope by its name.
	scope := c.pass.Pkg.Scope().Innermost(g.Pos())
	if scope == nil {
		return nil
	}
	if _, obj := scope.LookupParent(o.t.Name(), g.Pos()); obj != o.t {
		return nil
	}
	src, ok := c.sources.Of(g.Pos())
	if !ok {
		return nil
	}
	indent, ok := src.Indent(g.Pos())
	if !ok {
		return nil
	}
	file := c.fileOf(g)
	if file == nil {
		return nil
	}
	syncName, importEdit, ok := analysisutil.AddImport(c.pass, file, g.Pos(), "sync")
	if !ok {
		return nil
	}
	wg := analysisutil.FreshName(c.pass.Pkg, g.Pos(), "wg", nil, nil)
	decl := "var " + wg + " " + syncName + ".WaitGroup\n" + indent + o.t.Name() + ".Cleanup(" + wg + ".Wait)\n" + indent
	var edits []analysis.TextEdit
	if importEdit != nil {
		edits = append(edits, *importEdit)
	}
	if c.allowsGo(file) {
		// go func() { ... }()  =>  wg.Go(func() { ... })
		edits = append(edits,
			analysis.TextEdit{Pos: g.Pos(), End: lit.Pos(), NewText: []byte(decl + wg + ".Go(")},
			analysis.TextEdit{Pos: lit.End(), End: g.Call.End(), NewText: []byte(")")})
	} else {
		// wg.Add(1) before, defer wg.Done() first in the body: only when
		// the body starts on a line of its own.
		if len(lit.Body.List) == 0 || c.line(lit.Body.List[0].Pos()) == c.line(lit.Body.Lbrace) {
			return nil
		}
		edits = append(edits,
			analysis.TextEdit{Pos: g.Pos(), End: g.Pos(), NewText: []byte(decl + wg + ".Add(1)\n" + indent)},
			analysis.TextEdit{Pos: lit.Body.List[0].Pos(), End: lit.Body.List[0].Pos(), NewText: []byte("defer " + wg + ".Done()\n" + indent + "\t")})
	}
	return &analysis.SuggestedFix{
		Message:   "Wait for the goroutine in a cleanup (t.Cleanup(" + wg + ".Wait))",
		TextEdits: edits,
	}
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

// allowsGo reports whether file's Go version has sync.WaitGroup.Go (Go
// 1.25); an unknown version allows it.
func (c *checker) allowsGo(file *ast.File) bool {
	v := c.pass.TypesInfo.FileVersions[file]
	return !version.IsValid(v) || version.Compare(v, "go1.25") >= 0
}

// fileOf returns the file that holds n.
func (c *checker) fileOf(n ast.Node) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= n.Pos() && n.Pos() < f.FileEnd {
			return f
		}
	}
	return nil
}

// pureStd are the standard packages whose functions end by themselves:
// they format, convert or compute, and block on nothing another goroutine
// does.
var pureStd = []string{
	"fmt", "strings", "strconv", "errors", "bytes", "math", "sort", "slices", "maps", "unicode",
	"unicode/utf8", "time", "path", "path/filepath", "encoding/json", "encoding/hex", "reflect",
}

// endsByItself reports whether a goroutine whose code is bodies ends
// without help from anything that happens after the test's cleanups
// start: it calls only testing methods, loggers bound to the test, the
// standard library's computing functions and the builtins; it receives
// only in a select that also waits for the test's context to end and
// then returns; and loops without a condition only around such a select.
func (c *checker) endsByItself(o *owner, bodies []*funcindex.Func) bool {
	info := c.pass.TypesInfo
	ok := true
	for _, fn := range bodies {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if !ok {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectStmt:
				if !c.endsOnContext(o, n) {
					ok = false
				}
				// Its receives are the context's and timers'.
				for _, clause := range n.Body.List {
					for _, s := range clause.(*ast.CommClause).Body {
						ast.Inspect(s, func(m ast.Node) bool {
							if !ok {
								return false
							}
							if call, isCall := m.(*ast.CallExpr); isCall && !c.harmlessCall(call) {
								ok = false
							}
							if u, isRecv := m.(*ast.UnaryExpr); isRecv && u.Op == token.ARROW {
								ok = false
							}
							if _, isSel := m.(*ast.SelectStmt); isSel {
								ok = false
							}
							return ok
						})
					}
				}
				return false
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					ok = false
				}
			case *ast.RangeStmt:
				if t := info.TypeOf(n.X); t != nil {
					if _, isChan := t.Underlying().(*types.Chan); isChan {
						ok = false
					}
				}
			case *ast.ForStmt:
				if n.Cond == nil && !containsSelect(n.Body) {
					ok = false
				}
			case *ast.SendStmt, *ast.GoStmt, *ast.DeferStmt:
				ok = false
			case *ast.CallExpr:
				if !c.harmlessCall(n) {
					ok = false
				}
			}
			return ok
		})
	}
	return ok
}

// containsSelect reports whether body's statements include a select.
func containsSelect(body *ast.BlockStmt) bool {
	for _, s := range body.List {
		if _, ok := s.(*ast.SelectStmt); ok {
			return true
		}
	}
	return false
}

// endsOnContext reports whether sel has a case that receives from the
// test's context's Done channel (t.Context().Done(), or a variable
// holding t.Context()) and returns, and its other cases receive from
// timers.
func (c *checker) endsOnContext(o *owner, sel *ast.SelectStmt) bool {
	info := c.pass.TypesInfo
	ends := false
	for _, clause := range sel.Body.List {
		cc := clause.(*ast.CommClause)
		if cc.Comm == nil {
			continue // default: does not block
		}
		recv := receiveOf(cc.Comm)
		if recv == nil {
			return false
		}
		ch := recv.X
		if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok {
			if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && knowledge.IsContextDone(fn) {
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && c.isTestContext(o, sel.X) && returns(cc.Body) {
					ends = true
					continue
				}
				return false
			}
		}
		if !isTimerChan(info, ch) {
			return false
		}
	}
	return ends
}

// returns reports whether stmts end with a return.
func returns(stmts []ast.Stmt) bool {
	if len(stmts) == 0 {
		return false
	}
	_, ok := stmts[len(stmts)-1].(*ast.ReturnStmt)
	return ok
}

// isTestContext reports whether e is o's t.Context(), or a variable
// holding it for its whole life.
func (c *checker) isTestContext(o *owner, e ast.Expr) bool {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		v, _ := info.Uses[id].(*types.Var)
		if v == nil {
			return false
		}
		def := c.idx.Def(v)
		if def == nil {
			return false
		}
		e = ast.Unparen(def)
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	recv, fn, ok := testmodel.TestingMethod(info, call)
	return ok && fn.Name() == "Context" && testmodel.VarOf(info, recv) == o.t
}

// isTimerChan reports whether ch is time.After(d), time.Tick(d) or a
// timer's or ticker's C.
func isTimerChan(info *types.Info, ch ast.Expr) bool {
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(info, e).(*types.Func)
		return knowledge.IsTimerFunc(fn)
	case *ast.SelectorExpr:
		return e.Sel.Name == "C" && knowledge.IsTimer(info.TypeOf(e.X))
	}
	return false
}

// harmlessCall reports whether call ends by itself: a builtin or a
// conversion, a testing method (other than Run, Cleanup and the like), a
// use of a logger bound to the test, or a function of pureStd other than
// time.Sleep.
func (c *checker) harmlessCall(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "close" {
			return false
		}
		return true
	}
	if _, fn, ok := testmodel.TestingMethod(info, call); ok {
		switch fn.Name() {
		case "Run", "Cleanup", "Parallel", "RunParallel", "Fuzz":
			return false
		}
		return true
	}
	if u, ok := c.useOf(call); ok && u.src.origin != nil {
		ref, _, ok := c.idx.Callee(call)
		return ok && ref.Func != nil && ref.Func.Pkg() != nil && knowledge.IsLoggerType(recvType(ref.Func))
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || knowledge.IsFunc(fn, "time", "Sleep") {
		return false
	}
	return knowledge.InPackage(fn, pureStd...)
}

// recvType returns the type of fn's receiver, or nil.
func recvType(fn *types.Func) types.Type {
	if r := fn.Signature().Recv(); r != nil {
		return r.Type()
	}
	return nil
}
