package summary

import (
	"go/ast"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A Site is a call that a function makes itself, resolved once.
type Site struct {
	Call     *ast.CallExpr
	Go       *ast.GoStmt // the go statement whose call this is: it runs on a new goroutine
	Parallel ast.Expr    // t, for t.Parallel()
	Run      ast.Expr    // t, for t.Run(name, body) on a *testing.T
	Stop     ast.Expr    // t, for t.Fatal(...) and the rest of its family
	StopName string      // "Fatal", ...
	Testing  string      // the method, for any other method of a testing value: "Cleanup", "Fuzz", ...
	Setter   bool        // a call of a process-wide setter such as os.Setenv
	Ref      testmodel.Ref
	Operands []ast.Expr
	Resolved bool // Ref and Operands are set
}

// Sites returns the calls that body itself makes, resolved.
func (r *Result) Sites(body *ast.BlockStmt) []Site {
	if body == nil {
		return nil
	}
	if sites, ok := r.sites[body]; ok {
		return sites
	}
	info := r.pass.TypesInfo
	calls := r.Calls(body)
	var sites []Site
	for _, call := range calls {
		site := Site{Call: call, Go: r.goStmts[call]}
		if recv, name, ok := testmodel.StopCall(info, call); ok {
			site.Stop, site.StopName = recv, name
		} else if recv, fn, ok := testmodel.TestingMethod(info, call); ok {
			// The testing package's own methods have no summaries.
			site.Testing = fn.Name()
			switch {
			case fn.Name() == "Parallel":
				site.Parallel = recv
			case testmodel.IsRun(fn) && len(call.Args) == 2:
				site.Run = recv
			}
			if AsyncOperands(fn) != 0 { // b.RunParallel
				site.Ref, site.Operands, site.Resolved = r.Funcs.Callee(call)
			}
		} else {
			site.Ref, site.Operands, site.Resolved = r.Funcs.Callee(call)
			site.Setter = site.Resolved && isProcessWideSetter(site.Ref.Func)
		}
		if site.Go != nil || site.Stop != nil || site.Parallel != nil || site.Run != nil ||
			site.Testing == "Fuzz" || site.Testing == "Cleanup" || site.Setter || site.Resolved && r.relevant(site.Ref) ||
			!site.Resolved && testmodel.VarOf(info, call.Fun) != nil || // f() on a function variable
			site.Resolved && hasFuncLitArg(call) { // retry(func() error { ... })
			sites = append(sites, site)
		}
	}
	r.sites[body] = sites
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
	return testmodel.IsStopMethod(fn) || AsyncOperands(fn) != 0 || knownReadiness(fn) || !r.Of(ref).Fact.empty()
}

// EachFunc calls f for every function of the package: declarations with
// bodies and function literals, in source order.
func (r *Result) EachFunc(f func(node ast.Node, body *ast.BlockStmt)) {
	for i := range r.funcs {
		f(r.funcs[i].node, r.funcs[i].body)
	}
}

// EachSite calls f for every call that a function of the package makes,
// resolved.
func (r *Result) EachSite(f func(Site)) {
	for i := range r.funcs {
		for _, site := range r.Sites(r.funcs[i].body) {
			f(site)
		}
	}
}

// Calls returns the calls that body itself makes (see OwnCalls), computed
// once.
func (r *Result) Calls(body *ast.BlockStmt) []*ast.CallExpr {
	if body == nil {
		return nil
	}
	calls, ok := r.calls[body]
	if !ok {
		OwnCalls(body, func(call *ast.CallExpr) { calls = append(calls, call) })
		r.calls[body] = calls
	}
	return calls
}

// OwnCalls calls f for each call in body that runs as part of body itself,
// in source order: not those inside function literals, which run when (and
// where) the literal is called.
func OwnCalls(body ast.Node, f func(*ast.CallExpr)) {
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			f(n)
		}
		return true
	})
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
