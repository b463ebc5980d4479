package summary

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// walk reads what the summaries need beyond the function index, in one
// pass over the package's syntax: channel operations, the callbacks each
// function may keep, and the variables that calls return listeners or
// errors to.
func (r *Result) walk() {
	r.funcs = make([]function, 0, len(r.Index.Funcs()))
	for _, f := range r.Index.Funcs() {
		fn := function{Func: f}
		for _, p := range f.Params {
			if r.takesCallbacks(p.Type()) {
				fn.callbacks = true
			}
		}
		r.addFunc(fn)
	}
	w := walker{r: r, info: r.info, nonblocking: make(map[*ast.UnaryExpr]bool)}
	r.Index.Walk(walkTypes, w.visit)
}

// walkTypes are the nodes walk reads.
var walkTypes = []ast.Node{
	(*ast.RangeStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.SelectStmt)(nil), (*ast.SendStmt)(nil),
	(*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.ValueSpec)(nil), (*ast.TypeSwitchStmt)(nil),
	(*ast.AssignStmt)(nil),
}

// walker holds what walk has seen that later nodes depend on.
type walker struct {
	r           *Result
	info        *types.Info
	nonblocking map[*ast.UnaryExpr]bool // receives in a select with a default clause
	lastIn      *funcindex.Func         // the function of the node visited last
	lastF       *function               // and its summary state
}

// visit records n, whose innermost function is in.
func (w *walker) visit(n ast.Node, in *funcindex.Func) {
	r, info := w.r, w.info
	var f *function // the summary state of in
	if in != nil {
		// The nodes come in source order, most after one of the same
		// function.
		if in != w.lastIn {
			w.lastIn, w.lastF = in, &r.funcs[r.indexOf(in)]
		}
		f = w.lastF
	}
	switch n := n.(type) {
	case *ast.RangeStmt:
		w.addFlow(f, n)
		if t := info.TypeOf(n.X); t != nil {
			if _, isChan := t.Underlying().(*types.Chan); isChan {
				w.addChanOp(in, chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.X), Recv: true})
			}
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW && !w.nonblocking[n] {
			w.addChanOp(in, chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.X), Recv: true, Timer: isTimerChan(info, n.X), Done: isDoneChan(info, n.X)})
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
		w.addChanOp(in, chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.Chan)})
		w.addFlow(f, n)
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
	case *ast.CallExpr:
		if in == nil {
			break
		}
		// The name first: resolving every call to find signal.Notify
		// cost a third of this walk.
		if calledName(n) == "Notify" && len(n.Args) > 0 && knowledge.IsSignalNotify(typeutil.StaticCallee(info, n)) {
			if v := testmodel.RootVar(info, n.Args[0]); v != nil {
				r.signalChans[v] = true
			}
		}
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				w.addChanOp(in, chanOp{Pos: n.Pos(), Ch: testmodel.RootVar(info, n.Args[0]), Deferred: r.Index.IsDeferred(n)})
			}
		}
	case *ast.ValueSpec:
		w.addFlow(f, n)
	case *ast.TypeSwitchStmt:
		w.addFlow(f, n)
	case *ast.AssignStmt:
		w.addFlow(f, n)
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
			if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && i < len(n.Lhs) && mayBeListener(testmodel.TypeOf(info, n.Lhs[i])) {
				r.resultVar[call] = testmodel.RootVar(info, n.Lhs[i])
			}
		}
		if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && len(n.Rhs) == 1 && len(n.Lhs) > 1 && r.Index.LoopOf(call) != nil {
			if v := testmodel.VarOf(info, n.Lhs[len(n.Lhs)-1]); v != nil && types.Identical(v.Type(), errorType) {
				r.errVar[call] = v
			}
		}
	}
}

// addFlow records an assignment or send of a function with callback
// parameters: it may keep one of them (see Result.stores).
func (w *walker) addFlow(f *function, n ast.Node) {
	if f != nil && f.callbacks {
		w.r.flows[f.Body] = append(w.r.flows[f.Body], n)
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

// addChanOp records a channel operation of the function in.
func (w *walker) addChanOp(in *funcindex.Func, op chanOp) {
	if in != nil {
		w.r.chanOps[in.Body] = append(w.r.chanOps[in.Body], op)
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
	Ref      funcindex.Ref
	Operands []ast.Expr
}

// TestingCall is the kind of a call of a testing value's method.
type TestingCall uint8

// The kinds of TestingCall.
const (
	NotTesting      TestingCall = iota
	CallParallel                // t.Parallel()
	CallRun                     // t.Run(name, body) on a *testing.T
	CallBenchRun                // b.Run(name, body) on a *testing.B
	CallFailNow                 // t.Fatal(...) and the rest of the FailNow family
	CallHeldFailNow             // f.Fatalf(...) on an interface without FailNow (testmodel.HeldFailNowCall)
	CallCleanup                 // t.Cleanup(f)
	CallFuzz                    // f.Fuzz(target)
	CallOther                   // any other method of a testing value
)

// Parallel returns t, for t.Parallel(); else nil.
func (s *Site) Parallel() ast.Expr { return s.testingValue(CallParallel) }

// Run returns t, for t.Run(name, body) on a *testing.T; else nil.
func (s *Site) Run() ast.Expr { return s.testingValue(CallRun) }

// FailNow returns t, for t.Fatal(...) and its family; else nil.
func (s *Site) FailNow() ast.Expr { return s.testingValue(CallFailNow) }

// HeldFailNow returns f, for f.Fatalf(...) through an interface without
// FailNow, which stops a test only if f holds a testing value; else nil.
func (s *Site) HeldFailNow() ast.Expr { return s.testingValue(CallHeldFailNow) }

func (s *Site) testingValue(kind TestingCall) ast.Expr {
	if s.Testing == kind {
		return s.T
	}
	return nil
}

// Sites returns the calls that body itself makes and that may matter to a
// summary or an analyzer, resolved; nil for a body outside the package.
func (r *Result) Sites(body *ast.BlockStmt) []Site { return r.sites[body] }

// resolveSites appends to sites the calls that body itself makes that may
// matter, resolved.
func (r *Result) resolveSites(body *ast.BlockStmt, sites []Site) []Site {
	info := r.info
	for _, call := range r.Index.Calls(body) {
		site := Site{Call: call, Go: r.Index.GoOf(call)}
		site.Ref, site.Operands, site.Resolved = r.Index.Callee(call)
		if site.Resolved && mayCallTesting(site.Ref.Func) {
			site.T, site.Testing = testingCall(info, call)
		}
		if site.Testing != NotTesting {
			// A testing call is known by its kind, not by a summary.
			site.Ref, site.Operands, site.Resolved = funcindex.Ref{}, nil, false
		} else if site.Resolved {
			// s.Start() through an interface the package shows holding
			// *server runs (*server).Start.
			if impls := r.Index.Implementations(site.Ref); impls != nil {
				sites = r.implementationSites(site, impls, sites)
				continue
			}
		}
		if r.matters(site) {
			sites = append(sites, site)
		}
		if !site.Resolved && site.Testing == NotTesting {
			sites = r.targetSites(site, sites)
		}
	}
	return sites
}

// testingCall returns, for a call of a testing value's method or of the
// FailNow family, the testing value and which call it is.
func testingCall(info *types.Info, call *ast.CallExpr) (ast.Expr, TestingCall) {
	if recv, _, ok := testmodel.FailNowCall(info, call); ok {
		return recv, CallFailNow
	}
	if recv, _, ok := testmodel.HeldFailNowCall(info, call); ok {
		return recv, CallHeldFailNow
	}
	recv, fn, ok := testmodel.TestingMethod(info, call)
	if !ok {
		return nil, NotTesting
	}
	// The testing package's own methods have no summaries.
	switch {
	case fn.Name() == "Parallel":
		return recv, CallParallel
	case testmodel.IsRun(fn) && len(call.Args) == 2:
		return recv, CallRun
	case testmodel.IsBenchRun(fn) && len(call.Args) == 2:
		return recv, CallBenchRun
	case fn.Name() == "Cleanup":
		return recv, CallCleanup
	case fn.Name() == "Fuzz":
		return recv, CallFuzz
	}
	return recv, CallOther
}

// mayCallTesting reports whether a call of fn may be a call of the testing
// package's methods or of the FailNow family through an interface: the
// calls resolveSites looks at again as testing calls.
func mayCallTesting(fn *types.Func) bool {
	return fn != nil && (fn.Pkg() != nil && fn.Pkg().Path() == "testing" || testmodel.IsFailNowName(fn.Name()))
}

// targetSites appends to sites one resolved site for each function that
// the unresolved site may run: a call through a field, a variable given
// several functions, a closure a helper handed back. A call may run any of
// them, so each counts.
func (r *Result) targetSites(site Site, sites []Site) []Site {
	for _, ref := range r.Index.Targets(site.Call.Fun) {
		if !r.relevant(ref) {
			continue
		}
		t := site
		t.Ref, t.Resolved = ref, true
		t.Operands = ref.Operands(site.Call.Args)
		sites = append(sites, t)
	}
	return sites
}

// implementationSites appends to sites one site for each method that
// site, a call of an interface's method, runs on the concrete types its
// receiver may hold: the operands are the call's, the receiver first.
func (r *Result) implementationSites(site Site, impls []funcindex.Target, sites []Site) []Site {
	for _, impl := range impls {
		t := site
		t.Ref = impl.Ref
		if r.matters(t) {
			sites = append(sites, t)
		}
	}
	return sites
}

// matters reports whether site may matter to a summary or an analyzer,
// and so is kept: a go statement, a testing method that starts or
// registers code, a call of relevant code, a call of a function variable,
// or a call given a literal (retry(func() error { ... })).
func (r *Result) matters(site Site) bool {
	return site.Go != nil || site.Testing != NotTesting && site.Testing != CallOther || site.Resolved && r.relevant(site.Ref) ||
		!site.Resolved && testmodel.VarOf(r.info, site.Call.Fun) != nil ||
		site.Resolved && hasFuncLitArg(site.Call)
}

// relevant reports whether a call of ref may matter to a summary or an
// analyzer: code in this package (its summary may yet grow), a function
// with a fact or known to this package, and the net/http API that serves
// handlers. Most calls of a test (len, t.Errorf, strings.Repeat) are none.
func (r *Result) relevant(ref funcindex.Ref) bool {
	if ref.Lit != nil || r.Index.Decl(ref.Func) != nil {
		return true
	}
	fn := ref.Func
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if fn.Pkg() == r.pkg && isInterfaceMethod(fn) {
		return true // what it runs is told once the package is summarised (interfaceMethods)
	}
	if knowledge.InPackage(fn, "net/http", "net/http/httptest") {
		return true
	}
	if _, serves := knowledge.HandlerArg(fn); serves {
		return true // fcgi.Serve(l, h)
	}
	if knowledge.IsMethod(fn, "sync", "WaitGroup", "Done") {
		return true // a readiness signal, or one given too early (signals)
	}
	return testmodel.IsFailNowMethod(fn) || knowledge.Of(fn) != (knowledge.Behaviour{}) || !r.of(ref).Fact.empty()
}

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

// isInterfaceMethod reports whether fn is a method of an interface.
func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// calledName returns the name that call's function is spelled with (f in
// f(x), pkg.f(x) and v.f(x)); "" for any other spelling.
func calledName(call *ast.CallExpr) string {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		return fun.Sel.Name
	}
	return ""
}
