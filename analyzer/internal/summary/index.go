package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// walk indexes the package in one pass over its syntax: its functions,
// the calls each makes itself (and which of them are go statements,
// deferred, or in a loop), its channel operations, whether it assigns
// package-level variables, and (in Funcs) the function values that
// variables are assigned.
func (r *Result) walk() {
	w := walker{r: r, info: r.pass.TypesInfo, nonblocking: make(map[*ast.UnaryExpr]bool)}
	for _, file := range r.pass.Files {
		w.inTest = strings.HasSuffix(r.pass.Fset.File(file.FileStart).Name(), "_test.go")
		var nodes []ast.Node // the nodes enclosing the walk's position
		ast.Inspect(file, func(n ast.Node) bool {
			if n == nil {
				w.leave(nodes[len(nodes)-1])
				nodes = nodes[:len(nodes)-1]
				return true
			}
			if !w.enter(n) {
				return false
			}
			nodes = append(nodes, n)
			return true
		})
	}
}

// walker is the state of walk.
type walker struct {
	r           *Result
	info        *types.Info
	inTest      bool                    // in a _test.go file
	funcs       []int                   // the functions enclosing the walk's position
	loops       [][]ast.Node            // for each, the loops enclosing the position within it
	nonblocking map[*ast.UnaryExpr]bool // receives in a select with a default clause
}

// enter records n, before its children; false skips them.
func (w *walker) enter(n ast.Node) bool {
	r, info := w.r, w.info
	switch n := n.(type) {
	case *ast.ForStmt:
		w.enterLoop(n)
	case *ast.RangeStmt:
		w.enterLoop(n)
		w.addFlow(n)
		if t := info.TypeOf(n.X); t != nil {
			if _, isChan := t.Underlying().(*types.Chan); isChan {
				w.addChanOp(chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.X), Recv: true})
			}
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW && !w.nonblocking[n] {
			w.addChanOp(chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.X), Recv: true, Timer: isTimerChan(info, n.X), Done: isDoneChan(info, n.X)})
		}
	case *ast.SelectStmt:
		// Its receives are the operations; with a default clause, none
		// of them waits.
		if hasDefault(n) {
			for _, clause := range n.Body.List {
				if comm, ok := clause.(*ast.CommClause); ok && comm.Comm != nil {
					ast.Inspect(comm.Comm, func(x ast.Node) bool {
						if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
							w.nonblocking[u] = true
						}
						return true
					})
				}
			}
		}
	case *ast.SendStmt:
		w.addChanOp(chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.Chan)})
		w.addFlow(n)
		w.keep(info.TypeOf(n.Value), n.Value)
	case *ast.CompositeLit:
		// A struct literal's function fields, a slice literal's function
		// elements: values kept in callback-typed state.
		for _, elt := range n.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					if field, ok := info.Uses[id].(*types.Var); ok && field.IsField() {
						w.keep(field.Type(), kv.Value)
					}
				}
			}
		}
	case *ast.FuncDecl:
		r.Funcs.Add(n)
		fn, _ := info.Defs[n.Name].(*types.Func)
		if n.Body == nil || fn == nil {
			return false
		}
		r.inTest[n] = w.inTest
		w.enterFunc(function{node: n, root: n, body: n.Body, fn: fn, params: r.Funcs.Params(testmodel.Ref{Func: fn})})
	case *ast.FuncLit:
		r.Funcs.Add(n)
		var root ast.Node = n // in a package-level initializer
		if len(w.funcs) > 0 {
			root = r.funcs[w.funcs[0]].root
		}
		w.enterFunc(function{node: n, root: root, body: n.Body, params: r.Funcs.Params(testmodel.Ref{Lit: n})})
	case *ast.GoStmt:
		r.goStmts[n.Call] = n
	case *ast.DeferStmt:
		r.deferred[n.Call] = true
		if len(w.funcs) > 0 {
			body := r.funcs[w.funcs[len(w.funcs)-1]].body
			r.defers[body] = append(r.defers[body], n)
		}
	case *ast.CallExpr:
		if len(w.funcs) == 0 {
			break
		}
		f := &r.funcs[w.funcs[len(w.funcs)-1]]
		r.calls[f.body] = append(r.calls[f.body], n)
		if loops := w.loops[len(w.loops)-1]; len(loops) > 0 {
			r.loopOf[n] = loops[len(loops)-1]
		}
		if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && knowledge.IsSignalNotify(fn) && len(n.Args) > 0 {
			if v := testmodel.RootVar(info, n.Args[0]); v != nil {
				r.signalChans[v] = true
			}
		}
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				w.addChanOp(chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.Args[0]), Deferred: r.deferred[n]})
			}
		}
	case *ast.ValueSpec:
		r.Funcs.Add(n)
		w.addFlow(n)
	case *ast.TypeSwitchStmt:
		w.addFlow(n)
	case *ast.AssignStmt:
		r.Funcs.Add(n)
		w.addFlow(n)
		if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
			for i, lhs := range n.Lhs {
				if _, local := ast.Unparen(lhs).(*ast.Ident); !local {
					w.keep(info.TypeOf(lhs), n.Rhs[i]) // s.Handler = app.handler
				}
			}
		}
		// What a call returns a listener or server to (closedLater), and,
		// in a loop, its error (polls).
		for i, rhs := range n.Rhs {
			if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && i < len(n.Lhs) && mayBeListener(info.TypeOf(n.Lhs[i])) {
				r.resultVar[call] = testmodel.RootVar(info, n.Lhs[i])
			}
		}
		if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && len(n.Rhs) == 1 && len(n.Lhs) > 1 && w.inLoop() {
			if v := testmodel.VarOf(info, n.Lhs[len(n.Lhs)-1]); v != nil && types.Identical(v.Type(), errorType) {
				r.errVar[call] = v
			}
		}
		if len(w.funcs) > 0 && n.Tok != token.DEFINE {
			for _, lhs := range n.Lhs {
				if testmodel.IsPackageLevel(testmodel.RootVar(info, lhs)) {
					r.funcs[w.funcs[len(w.funcs)-1]].assigns = true
				}
			}
		}
	case *ast.IncDecStmt:
		if len(w.funcs) > 0 && testmodel.IsPackageLevel(testmodel.RootVar(info, n.X)) {
			r.funcs[w.funcs[len(w.funcs)-1]].assigns = true
		}
	}
	return true
}

// leave records the end of n, after its children.
func (w *walker) leave(n ast.Node) {
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		if len(w.loops) > 0 {
			loops := w.loops[len(w.loops)-1]
			w.loops[len(w.loops)-1] = loops[:len(loops)-1]
		}
	case *ast.FuncDecl, *ast.FuncLit:
		w.funcs, w.loops = w.funcs[:len(w.funcs)-1], w.loops[:len(w.loops)-1]
	}
}

func (w *walker) enterFunc(f function) {
	for _, p := range f.params {
		if w.r.takesCallbacks(p.Type()) {
			f.callbacks = true
		}
	}
	w.funcs = append(w.funcs, w.r.addFunc(f))
	w.loops = append(w.loops, nil)
}

// addFlow records an assignment or send of a function with callback
// parameters: it may keep one of them (see Result.stores).
func (w *walker) addFlow(n ast.Node) {
	if len(w.funcs) == 0 {
		return
	}
	if f := &w.r.funcs[w.funcs[len(w.funcs)-1]]; f.callbacks {
		w.r.flows[f.body] = append(w.r.flows[f.body], n)
	}
}

// keep records value, a function value kept where values of type typ go,
// if typ is a callback type.
func (w *walker) keep(typ types.Type, value ast.Expr) {
	if w.r.kindOf(typ) == "" {
		return
	}
	w.r.storedValues = append(w.r.storedValues, storedValue{typ: typ, value: value})
}

// inLoop reports whether the walk is inside a loop of the current
// function.
func (w *walker) inLoop() bool {
	return len(w.loops) > 0 && len(w.loops[len(w.loops)-1]) > 0
}

// mayBeListener reports whether a value of type t may be a listener or a
// server that holds one: a pointer or an interface.
func mayBeListener(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}

// enterLoop records a loop entered in the current function.
func (w *walker) enterLoop(loop ast.Node) {
	if len(w.loops) > 0 {
		w.loops[len(w.loops)-1] = append(w.loops[len(w.loops)-1], loop)
	}
}

// addChanOp records a channel operation of the current function.
func (w *walker) addChanOp(op chanOp) {
	if len(w.funcs) > 0 {
		body := w.r.funcs[w.funcs[len(w.funcs)-1]].body
		w.r.chanOps[body] = append(w.r.chanOps[body], op)
	}
}

// A Site is a call that a function makes itself, resolved once. Sites
// are the bulk of the index, so the call of a testing method is one kind
// and its testing value, not a field for each.
type Site struct {
	Call     *ast.CallExpr
	Go       *ast.GoStmt // the go statement whose call this is: it runs on a new goroutine
	T        ast.Expr    // for the call of a testing method: the testing value
	Testing  TestingCall // which testing method, if any
	Resolved bool        // Ref and Operands are set
	Ref      testmodel.Ref
	Operands []ast.Expr
}

// TestingCall is the kind of a call of a testing value's method.
type TestingCall uint8

// The kinds of TestingCall.
const (
	NotTesting   TestingCall = iota
	CallParallel             // t.Parallel()
	CallRun                  // t.Run(name, body) on a *testing.T
	CallFailNow              // t.Fatal(...) and the rest of the FailNow family
	CallCleanup              // t.Cleanup(f)
	CallFuzz                 // f.Fuzz(target)
	CallOther                // any other method of a testing value
)

// Parallel returns t, for t.Parallel(); else nil.
func (s *Site) Parallel() ast.Expr { return s.testingValue(CallParallel) }

// Run returns t, for t.Run(name, body) on a *testing.T; else nil.
func (s *Site) Run() ast.Expr { return s.testingValue(CallRun) }

// FailNow returns t, for t.Fatal(...) and its family; else nil.
func (s *Site) FailNow() ast.Expr { return s.testingValue(CallFailNow) }

func (s *Site) testingValue(kind TestingCall) ast.Expr {
	if s.Testing == kind {
		return s.T
	}
	return nil
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
		if recv, _, ok := testmodel.FailNowCall(info, call); ok {
			site.T, site.Testing = recv, CallFailNow
		} else if recv, fn, ok := testmodel.TestingMethod(info, call); ok {
			// The testing package's own methods have no summaries.
			site.T, site.Testing = recv, CallOther
			switch {
			case fn.Name() == "Parallel":
				site.Testing = CallParallel
			case testmodel.IsRun(fn) && len(call.Args) == 2:
				site.Testing = CallRun
			case fn.Name() == "Cleanup":
				site.Testing = CallCleanup
			case fn.Name() == "Fuzz":
				site.Testing = CallFuzz
			}
		} else {
			site.Ref, site.Operands, site.Resolved = r.Funcs.Callee(call)
		}
		if site.Go != nil || site.Testing != NotTesting && site.Testing != CallOther || site.Resolved && r.relevant(site.Ref) ||
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
	if knowledge.InPackage(fn, "net/http", "net/http/httptest") {
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

// IsDeferred reports whether call is the call of a defer statement: it
// runs when its function returns.
func (r *Result) IsDeferred(call *ast.CallExpr) bool { return r.deferred[call] }

// Defers returns the defer statements of body itself, in source order.
func (r *Result) Defers(body *ast.BlockStmt) []*ast.DeferStmt { return r.defers[body] }

// Root returns the outermost function that the function node (an
// *ast.FuncDecl or *ast.FuncLit of the package) is, or is in: a
// declaration, or a literal of a package-level initializer.
func (r *Result) Root(node ast.Node) ast.Node {
	if i, ok := r.index[node]; ok {
		return r.funcs[i].root
	}
	return node
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

var errorType = types.Universe.Lookup("error").Type()

// isDoneChan reports whether ch is ctx.Done() of a context: it is closed
// when the context ends, never when a server is ready.
func isDoneChan(info *types.Info, ch ast.Expr) bool {
	call, ok := ast.Unparen(ch).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return knowledge.IsContextDone(fn)
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
