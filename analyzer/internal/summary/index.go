package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// walk indexes the package in one pass over its syntax: its functions,
// the calls each makes itself (and which of them are go statements,
// deferred, or in a loop), its channel operations, and whether it assigns
// package-level variables.
func (r *Result) walk(insp *inspector.Inspector) {
	pass := r.pass
	var stack []int // the functions enclosing the walk's position
	var loops []int // for each, how many loops enclose the position within it
	inTest := false
	nonblocking := make(map[*ast.UnaryExpr]bool) // receives in a select with a default clause
	chanOp := func(op ChanOp) {
		if len(stack) > 0 {
			body := r.funcs[stack[len(stack)-1]].body
			r.chanOps[body] = append(r.chanOps[body], op)
		}
	}
	insp.Nodes([]ast.Node{(*ast.File)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.CallExpr)(nil), (*ast.AssignStmt)(nil), (*ast.IncDecStmt)(nil),
		(*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.SelectStmt)(nil), (*ast.SendStmt)(nil)},
		func(n ast.Node, push bool) bool {
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				if len(loops) > 0 {
					if push {
						loops[len(loops)-1]++
					} else {
						loops[len(loops)-1]--
					}
				}
				if rs, ok := n.(*ast.RangeStmt); ok && push {
					if _, isChan := pass.TypesInfo.TypeOf(rs.X).Underlying().(*types.Chan); isChan {
						chanOp(ChanOp{Pos: rs.Pos(), Ch: testmodel.RootVar(pass.TypesInfo, rs.X), Recv: true})
					}
				}
			case *ast.UnaryExpr:
				if push && n.Op == token.ARROW && !nonblocking[n] {
					chanOp(ChanOp{Pos: n.Pos(), Ch: testmodel.RootVar(pass.TypesInfo, n.X), Recv: true, Timer: isTimerChan(pass.TypesInfo, n.X)})
				}
			case *ast.SelectStmt:
				// Its receives are the operations; with a default clause,
				// none of them waits.
				if push && hasDefault(n) {
					for _, clause := range n.Body.List {
						if comm, ok := clause.(*ast.CommClause); ok && comm.Comm != nil {
							ast.Inspect(comm.Comm, func(x ast.Node) bool {
								if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
									nonblocking[u] = true
								}
								return true
							})
						}
					}
				}
			case *ast.SendStmt:
				if push {
					chanOp(ChanOp{Pos: n.Pos(), Ch: testmodel.RootVar(pass.TypesInfo, n.Chan)})
				}
			case *ast.File:
				inTest = strings.HasSuffix(pass.Fset.File(n.FileStart).Name(), "_test.go")
			case *ast.FuncDecl:
				fn, _ := pass.TypesInfo.Defs[n.Name].(*types.Func)
				if n.Body == nil || fn == nil {
					return false
				}
				if !push {
					stack, loops = stack[:len(stack)-1], loops[:len(loops)-1]
					return true
				}
				r.inTest[n] = inTest
				stack = append(stack, r.addFunc(function{node: n, root: n, body: n.Body, params: r.Funcs.Params(testmodel.Ref{Func: fn})}))
				loops = append(loops, 0)
			case *ast.FuncLit:
				if !push {
					stack, loops = stack[:len(stack)-1], loops[:len(loops)-1]
					return true
				}
				var root ast.Node = n // in a package-level initializer
				if len(stack) > 0 {
					root = r.funcs[stack[0]].root
				}
				stack = append(stack, r.addFunc(function{node: n, root: root, body: n.Body, params: r.Funcs.Params(testmodel.Ref{Lit: n})}))
				loops = append(loops, 0)
			case *ast.GoStmt:
				if push {
					r.goStmts[n.Call] = n
				}
			case *ast.DeferStmt:
				if push {
					r.deferred[n.Call] = true
				}
			case *ast.CallExpr:
				if push && len(stack) > 0 {
					f := &r.funcs[stack[len(stack)-1]]
					r.calls[f.body] = append(r.calls[f.body], n)
					if loops[len(loops)-1] > 0 {
						r.inLoop[n] = true
					}
					if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
						if _, builtin := pass.TypesInfo.Uses[id].(*types.Builtin); builtin {
							chanOp(ChanOp{Pos: n.Pos(), Ch: testmodel.RootVar(pass.TypesInfo, n.Args[0])})
						}
					}
				}
			case *ast.AssignStmt:
				if push && len(stack) > 0 && n.Tok != token.DEFINE {
					for _, lhs := range n.Lhs {
						if testmodel.IsPackageLevel(testmodel.RootVar(pass.TypesInfo, lhs)) {
							r.funcs[stack[len(stack)-1]].assigns = true
						}
					}
				}
			case *ast.IncDecStmt:
				if push && len(stack) > 0 && testmodel.IsPackageLevel(testmodel.RootVar(pass.TypesInfo, n.X)) {
					r.funcs[stack[len(stack)-1]].assigns = true
				}
			}
			return true
		})
}

// A Site is a call that a function makes itself, resolved once.
type Site struct {
	Call        *ast.CallExpr
	Go          *ast.GoStmt // the go statement whose call this is: it runs on a new goroutine
	Parallel    ast.Expr    // t, for t.Parallel()
	Run         ast.Expr    // t, for t.Run(name, body) on a *testing.T
	FailNow     ast.Expr    // t, for t.Fatal(...) and the rest of the FailNow family
	FailNowName string      // "Fatal", ...
	Testing     string      // the method, for any other method of a testing value: "Cleanup", "Fuzz", ...
	Ref         testmodel.Ref
	Operands    []ast.Expr
	Resolved    bool // Ref and Operands are set
}

// Sites returns the calls that body itself makes and that may matter to a
// summary or an analyzer, resolved; nil for a body outside the package.
func (r *Result) Sites(body *ast.BlockStmt) []Site { return r.sites[body] }

// resolveSites resolves the calls that body itself makes, keeping those
// that may matter.
func (r *Result) resolveSites(body *ast.BlockStmt) []Site {
	info := r.pass.TypesInfo
	var sites []Site
	for _, call := range r.calls[body] {
		site := Site{Call: call, Go: r.goStmts[call]}
		if recv, name, ok := testmodel.FailNowCall(info, call); ok {
			site.FailNow, site.FailNowName = recv, name
		} else if recv, fn, ok := testmodel.TestingMethod(info, call); ok {
			// The testing package's own methods have no summaries.
			site.Testing = fn.Name()
			switch {
			case fn.Name() == "Parallel":
				site.Parallel = recv
			case testmodel.IsRun(fn) && len(call.Args) == 2:
				site.Run = recv
			}
			if knowledge.Of(fn).Async != 0 { // b.RunParallel
				site.Ref, site.Operands, site.Resolved = r.Funcs.Callee(call)
			}
		} else {
			site.Ref, site.Operands, site.Resolved = r.Funcs.Callee(call)
		}
		if site.Go != nil || site.FailNow != nil || site.Parallel != nil || site.Run != nil ||
			site.Testing == "Fuzz" || site.Testing == "Cleanup" || site.Resolved && r.relevant(site.Ref) ||
			!site.Resolved && testmodel.VarOf(info, call.Fun) != nil || // f() on a function variable
			site.Resolved && hasFuncLitArg(call) { // retry(func() error { ... })
			sites = append(sites, site)
		}
	}
	return sites
}

// relevant reports whether a call of ref may matter to a summary or an
// analyzer: code in this package (its summary may yet grow), a function
// with a fact or known to this package, and the net/http API that serves
// handlers. Most calls of a test (len, t.Errorf, strings.Repeat) are none.
func (r *Result) relevant(ref testmodel.Ref) bool {
	if ref.Lit != nil || r.Funcs.Decl(ref.Func) != nil {
		return true
	}
	fn := ref.Func
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "net/http", "net/http/httptest":
		return true
	}
	return testmodel.IsFailNowMethod(fn) || knowledge.Of(fn) != (knowledge.Behaviour{}) || !r.of(ref).Fact.empty()
}

// EachFunc calls f for every function of the package: declarations with
// bodies and function literals, in source order.
func (r *Result) EachFunc(f func(node ast.Node, body *ast.BlockStmt)) {
	for i := range r.funcs {
		f(r.funcs[i].node, r.funcs[i].body)
	}
}

// Calls returns the calls that body itself makes, in source order: not
// those inside function literals, which run when (and where) the literal
// is called. It is nil for a body outside the package.
func (r *Result) Calls(body *ast.BlockStmt) []*ast.CallExpr { return r.calls[body] }

// hasFuncLitArg reports whether one of call's arguments is a function
// literal.
func hasFuncLitArg(call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if _, ok := ast.Unparen(arg).(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// isTimerChan reports whether ch is a timer's channel: time.After(d),
// time.Tick(d), t.C of a *time.Timer or *time.Ticker. Receiving from one
// is sleeping.
func isTimerChan(info *types.Info, ch ast.Expr) bool {
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		return knowledge.IsTimerFunc(typeutil.StaticCallee(info, e))
	case *ast.SelectorExpr:
		return e.Sel.Name == "C" && knowledge.IsTimer(info.TypeOf(e.X))
	}
	return false
}

// hasDefault reports whether a select has a default clause.
func hasDefault(s *ast.SelectStmt) bool {
	for _, clause := range s.Body.List {
		if comm, ok := clause.(*ast.CommClause); ok && comm.Comm == nil {
			return true
		}
	}
	return false
}
