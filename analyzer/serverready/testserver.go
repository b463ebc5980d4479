package serverready

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Go 1.27's httptest.NewTestServer(t, h) is ready when a client can reach
// it, which is not when it returns (see knowledge.TestServerCall): its URL
// is the empty string until the first call of Client, Start or StartTLS,
// and until Start or StartTLS only the client that Client returns reaches
// it. A test that reads the URL too early, or sends the request with
// another client, fails.
//
// Both are decided on the code of the function that made the server, in
// source order, as far as it is certain: a server variable assigned once;
// no call of Start, StartTLS (or Client, for the URL) before the read or
// request, anywhere in the function (in a branch, in a function literal,
// in the same loop later); the server not handed to anything that could
// start it (an argument, another variable, a field); the read or request
// in the function's own code, not in a literal that may run later.

// A serverUse is one mention of a NewTestServer variable in the function
// that made it.
type serverUse struct {
	pos   token.Pos
	what  serverUseKind
	loops []ast.Node // the loops of the function it is in
}

type serverUseKind int

const (
	useNeutral serverUseKind = iota // reads a field, closes it, ...
	useClient                       // srv.Client(): sets the URL, in-memory network only
	useStart                        // srv.Start(), srv.StartTLS(): any client reaches it
	useUnknown                      // handed on: anything may start it
)

// A testServer is a server that httptest.NewTestServer made, and what the
// function that made it does with it.
type testServer struct {
	v       *types.Var
	made    *ast.CallExpr // nil for a helper's parameter
	uses    []serverUse
	reads   []urlRead    // reads of v.URL in the function's own code
	helpers []helperCall // calls of the package's functions that v is handed to
}

// A helperCall is a call, in the function's own code, of a function of the
// package that the server is handed to, with what that function does with
// it.
type helperCall struct {
	call   *ast.CallExpr
	loops  []ast.Node
	effect *paramEffect
}

// A paramEffect is what a function of the package does with its server
// parameter, as far as the function that made the server needs to know:
// how its call counts there (kind), and whether it reads the URL before it
// sets it (readsURL), or sends a request that cannot reach the server
// before it starts it (request, through client).
type paramEffect struct {
	kind     serverUseKind
	readsURL *ast.SelectorExpr
	request  *ast.CallExpr
	client   string
}

// A urlRead is a read of srv.URL in the function's own code.
type urlRead struct {
	sel   *ast.SelectorExpr
	loops []ast.Node
}

// testServers reports, in fn, the reads of the URL of a server that
// httptest.NewTestServer made in fn before anything sets it, and the
// requests sent to such a server through a client that cannot reach it.
func (c *checker) testServers(fn *funcindex.Func) {
	var servers []*testServer
	for _, call := range fn.Calls {
		if !knowledge.IsNewTestServer(typeutil.StaticCallee(c.pass.TypesInfo, call)) {
			continue
		}
		if v := c.madeInto(fn, call); v != nil {
			servers = append(servers, &testServer{v: v, made: call})
		}
	}
	if len(servers) == 0 {
		return
	}
	c.walkUses(fn, servers)
	for _, s := range servers {
		// The first misuse of each server is reported: the test fails
		// there, and what fixes it (Start first, or the server's own
		// client) fixes the ones after it.
		type finding struct {
			pos    token.Pos
			report func()
		}
		var first *finding
		found := func(pos token.Pos, report func()) {
			if first == nil || pos < first.pos {
				first = &finding{pos, report}
			}
		}
		var requests []*ast.CallExpr
		for _, r := range c.foreignRequests(fn, s) {
			requests = append(requests, r.call)
			found(r.call.Pos(), func() { c.reportForeignRequest(s, r.call, r.client) })
		}
		for _, r := range s.reads {
			if !inAny(r.sel.Pos(), requests) && !s.setBefore(r.sel.Pos(), r.loops, useClient) && !c.onlyReported(fn, r.sel) {
				found(r.sel.Pos(), func() { c.reportEmptyURL(s, r) })
			}
		}
		for _, h := range s.helpers {
			switch {
			case h.effect.request != nil && !s.setBefore(h.call.Pos(), h.loops, useStart):
				found(h.call.Pos(), func() { c.reportHelperRequest(s, h) })
			case h.effect.readsURL != nil && !s.setBefore(h.call.Pos(), h.loops, useClient):
				found(h.call.Pos(), func() { c.reportHelperURL(s, h) })
			}
		}
		if first != nil {
			first.report()
		}
	}
}

// paramEffectOf returns what the function of the package that call runs
// does with the server handed to it as arg; nil when that is not known
// (not the package's code, a parameter it reassigns).
func (c *checker) paramEffectOf(call *ast.CallExpr, arg ast.Expr) *paramEffect {
	x := c.sums.Index
	ref, operands, ok := x.Callee(call)
	if !ok || len(ref.Bound) > 0 {
		return nil
	}
	params := x.Params(ref)
	i := -1
	for j, op := range operands {
		if ast.Unparen(op) == arg {
			i = funcindex.ParamIndex(j, len(operands), x.Variadic(ref))
		}
	}
	if i < 0 || i >= len(params) {
		return nil // a variadic parameter's type is a slice: no server
	}
	p := params[i]
	if e, ok := c.params[p]; ok {
		return e // nil while it is being worked out: a recursive helper
	}
	var fn *funcindex.Func
	if ref.Lit != nil {
		fn = x.Func(ref.Lit)
	} else {
		fn = x.FuncOf(ref.Func)
	}
	if fn == nil || p == nil || !x.AssignedOnce(p) || x.Opaque(p) || !knowledge.IsTestServerType(p.Type()) {
		return nil
	}
	c.params[p] = nil
	s := &testServer{v: p}
	c.walkUses(fn, []*testServer{s})
	e := &paramEffect{}
	for _, u := range s.uses {
		e.kind = max(e.kind, u.what)
	}
	if rs := c.foreignRequests(fn, s); len(rs) > 0 {
		e.request, e.client = rs[0].call, rs[0].client
	}
	for _, r := range s.reads {
		if !s.setBefore(r.sel.Pos(), r.loops, useClient) && !c.onlyReported(fn, r.sel) {
			e.readsURL = r.sel
			break
		}
	}
	for _, h := range s.helpers {
		if e.request == nil && h.effect.request != nil && !s.setBefore(h.call.Pos(), h.loops, useStart) {
			e.request, e.client = h.effect.request, h.effect.client
		}
		if e.readsURL == nil && h.effect.readsURL != nil && !s.setBefore(h.call.Pos(), h.loops, useClient) {
			e.readsURL = h.effect.readsURL
		}
	}
	c.params[p] = e
	return e
}

// madeInto returns the variable that fn assigns the server that call makes
// to, when that is the only value the variable is ever given.
func (c *checker) madeInto(fn *funcindex.Func, call *ast.CallExpr) *types.Var {
	var v *types.Var
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if v != nil {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && ast.Unparen(as.Rhs[0]) == call {
			if id, ok := as.Lhs[0].(*ast.Ident); ok {
				v, _ = c.pass.TypesInfo.ObjectOf(id).(*types.Var)
			}
		}
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 && ast.Unparen(vs.Values[0]) == call {
			v, _ = c.pass.TypesInfo.ObjectOf(vs.Names[0]).(*types.Var)
		}
		return true
	})
	x := c.sums.Index
	if v == nil || x.Opaque(v) || !x.AssignedOnce(v) || x.Def(v) == nil || ast.Unparen(x.Def(v)) != call {
		return nil
	}
	return v
}

// walkUses records every mention of the servers' variables in fn, function
// literals included, and the URL reads in fn's own code.
func (c *checker) walkUses(fn *funcindex.Func, servers []*testServer) {
	info := c.pass.TypesInfo
	byVar := make(map[*types.Var]*testServer, len(servers))
	for _, s := range servers {
		byVar[s.v] = s
	}
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		s := byVar[asVar(info.Uses[id])]
		if s == nil {
			return true
		}
		loops, inLit := c.enclosing(stack)
		what := serverUseOf(info, stack)
		if what == useUnknown && !inLit {
			// Handed to a function of the package: what it does with it.
			if call, ok := stack[len(stack)-2].(*ast.CallExpr); ok && call.Fun != n {
				if e := c.paramEffectOf(call, id); e != nil {
					what = e.kind
					s.helpers = append(s.helpers, helperCall{call: call, loops: loops, effect: e})
				}
			}
		}
		s.uses = append(s.uses, serverUse{pos: id.Pos(), what: what, loops: loops})
		// The arguments of a deferred call or a go statement are read
		// where the statement is: defer http.Get(srv.URL) reads it now.
		if sel, ok := parentSelector(stack); ok && sel.Sel.Name == "URL" && what == useNeutral && !inLit {
			s.reads = append(s.reads, urlRead{sel: sel, loops: loops})
		}
		return true
	})
}

func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}

// enclosing returns, for the node at the top of stack, the loops it is in,
// and whether it is in a function literal (which may run at any time)
// other than the body of a subtest that runs when t.Run is called.
func (c *checker) enclosing(stack []ast.Node) (loops []ast.Node, inLit bool) {
	for i, n := range stack[:len(stack)-1] {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		case *ast.FuncLit:
			if i == 0 || !c.inlineSubtest(stack[i-1], n) {
				inLit = true
			}
		}
	}
	return loops, inLit
}

// inlineSubtest reports whether lit is the body of a subtest that parent,
// a t.Run call, runs before it returns: one that does not call t.Parallel
// (whose body would run after the parent test's function returned).
func (c *checker) inlineSubtest(parent ast.Node, lit *ast.FuncLit) bool {
	call, ok := parent.(*ast.CallExpr)
	if !ok {
		return false
	}
	if _, _, body, ok := testmodel.RunCall(c.pass.TypesInfo, call); !ok || ast.Unparen(body) != lit {
		return false
	}
	f := c.sums.Index.Func(lit)
	if f == nil {
		return false
	}
	for _, call := range f.Calls {
		if _, fn, ok := testmodel.TestingMethod(c.pass.TypesInfo, call); ok && fn.Name() == "Parallel" {
			return false
		}
	}
	return true
}

// calls returns the calls fn makes itself, and those of the bodies of the
// subtests it runs inline, in source order.
func (c *checker) calls(fn *funcindex.Func) []*ast.CallExpr {
	var calls []*ast.CallExpr
	for _, call := range fn.Calls {
		calls = append(calls, call)
		if _, _, body, ok := testmodel.RunCall(c.pass.TypesInfo, call); ok {
			if lit, ok := ast.Unparen(body).(*ast.FuncLit); ok && c.inlineSubtest(call, lit) {
				if f := c.sums.Index.Func(lit); f != nil {
					calls = append(calls, c.calls(f)...)
				}
			}
		}
	}
	slices.SortFunc(calls, func(a, b *ast.CallExpr) int { return int(a.Pos() - b.Pos()) })
	return calls
}

// parentSelector returns the selector whose operand is the identifier at
// the top of stack (srv in srv.URL).
func parentSelector(stack []ast.Node) (*ast.SelectorExpr, bool) {
	if len(stack) < 2 {
		return nil, false
	}
	sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
	return sel, ok && sel.X == stack[len(stack)-1]
}

// serverUseOf tells what the mention of a server variable at the top of
// stack does with the server.
func serverUseOf(info *types.Info, stack []ast.Node) serverUseKind {
	id := stack[len(stack)-1]
	sel, ok := parentSelector(stack)
	if !ok {
		if len(stack) >= 2 {
			if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && len(as.Lhs) == 1 && as.Lhs[0] == id && as.Tok == token.DEFINE {
				return useNeutral // its definition
			}
			if vs, ok := stack[len(stack)-2].(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0] == id {
				return useNeutral
			}
		}
		return useUnknown // handed on, or assigned
	}
	selection := info.Selections[sel]
	if selection == nil {
		return useUnknown
	}
	switch obj := selection.Obj().(type) {
	case *types.Func:
		// A method value (f := srv.Start) is a call that may come at
		// any time.
		if len(stack) < 3 {
			return useUnknown
		}
		if call, ok := stack[len(stack)-3].(*ast.CallExpr); !ok || call.Fun != sel {
			return useUnknown
		}
		switch knowledge.TestServerMethod(obj) {
		case knowledge.TestServerClient:
			return useClient
		case knowledge.TestServerStart:
			return useStart
		}
		return useNeutral
	case *types.Var:
		if obj.Name() == "URL" && assignedTo(stack, sel) {
			return useStart // the test sets the URL itself
		}
		if obj.Name() != "URL" && len(stack) >= 3 {
			if u, ok := stack[len(stack)-3].(*ast.UnaryExpr); ok && u.Op == token.AND {
				return useUnknown // &srv.Config: handed on
			}
		}
		return useNeutral // srv.Config.X = ..., srv.Listener, srv.URL
	}
	return useUnknown
}

// assignedTo reports whether sel, below the top of stack, is assigned to.
func assignedTo(stack []ast.Node, sel *ast.SelectorExpr) bool {
	if len(stack) < 3 {
		return false
	}
	as, ok := stack[len(stack)-3].(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, lhs := range as.Lhs {
		if lhs == sel {
			return true
		}
	}
	return false
}

// setBefore reports whether something that makes the server's URL valid
// (a call of kind, or Start) or may have done so (the server handed on)
// comes before pos, or in one of the loops pos is in: a later iteration
// sees what an earlier one did.
func (s *testServer) setBefore(pos token.Pos, loops []ast.Node, kind serverUseKind) bool {
	for _, u := range s.uses {
		if u.what != kind && u.what != useStart && u.what != useUnknown {
			continue
		}
		if u.pos < pos {
			return true
		}
		for _, l := range loops {
			if l.Pos() <= u.pos && u.pos < l.End() {
				return true
			}
		}
	}
	return false
}

// onlyReported reports whether the URL read by sel is only printed or
// compared (t.Log(srv.URL), srv.URL == ""): no request goes to it.
func (c *checker) onlyReported(fn *funcindex.Func, sel *ast.SelectorExpr) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() > sel.Pos() || n.End() < sel.End() {
			return !found
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (ast.Unparen(n.X) == sel || ast.Unparen(n.Y) == sel) {
				found = true
			}
		case *ast.CallExpr:
			for _, arg := range n.Args {
				if ast.Unparen(arg) != sel {
					continue
				}
				callee := typeutil.StaticCallee(info, n)
				if knowledge.OnlyReports(callee) || isTestLog(callee) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// isTestLog reports whether fn is a testing value's Log or Logf (or the
// Error and Fatal family, which log too): printing, not requesting.
func isTestLog(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
		return false
	}
	switch fn.Name() {
	case "Log", "Logf", "Error", "Errorf", "Fatal", "Fatalf", "Skip", "Skipf":
		return true
	}
	return false
}

// A foreignRequest is a request sent to a server through a client that
// does not reach it.
type foreignRequest struct {
	call   *ast.CallExpr
	client string
}

// foreignRequests returns the requests fn sends to s through a client that
// does not reach it: any but s.Client() while s was not started.
func (c *checker) foreignRequests(fn *funcindex.Func, s *testServer) []foreignRequest {
	var found []foreignRequest
	x := c.sums.Index
	for _, call := range c.calls(fn) {
		if x.IsDeferred(call) || x.GoOf(call) != nil || s.made != nil && call.Pos() < s.made.End() {
			continue
		}
		// An interface method too: http.DefaultTransport.RoundTrip.
		callee, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
		operand, isRequest, ok := knowledge.RequestTarget(callee)
		if !ok {
			continue
		}
		_, operands, ok := x.Callee(call)
		if !ok || operand >= len(operands) {
			continue
		}
		client := ""
		if callee.Signature().Recv() == nil {
			client = "http.DefaultClient"
		} else if name, foreign := c.foreignClient(fn, operands[0], s.v); foreign {
			client = name
		} else {
			continue
		}
		if !c.goesTo(fn, operands[operand], isRequest, s.v) {
			continue
		}
		if s.setBefore(call.Pos(), c.loopsOf(fn, call), useStart) {
			continue
		}
		found = append(found, foreignRequest{call, client})
	}
	return found
}

// loopsOf returns the loops of fn, and of the subtests it runs inline,
// that node is in.
func (c *checker) loopsOf(fn *funcindex.Func, node ast.Node) []ast.Node {
	var loops []ast.Node
	var parent ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil || n.Pos() > node.Pos() || n.End() < node.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		case *ast.FuncLit:
			if !c.inlineSubtest(parent, n) {
				return false
			}
		}
		parent = n
		return true
	})
	return loops
}

// foreignClient reports whether the client or transport e is certainly
// not one that srv's Client made: http.DefaultClient or
// http.DefaultTransport, a literal of its own that does not mention srv,
// or a variable given only such a value and never changed or handed on.
// It returns the client's name for the message.
func (c *checker) foreignClient(fn *funcindex.Func, e ast.Expr, srv *types.Var) (string, bool) {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if knowledge.IsDefaultClientVar(info.Uses[e.Sel]) {
			return "http." + e.Sel.Name, true
		}
	case *ast.CompositeLit:
		if knowledge.IsClientType(info.TypeOf(e)) && !testmodel.Mentions(info, e, srv) && c.dialsItself(fn, e, srv) {
			return "a client of its own", true
		}
	case *ast.Ident:
		v := asVar(info.Uses[e])
		x := c.sums.Index
		// A package-level client may be set up anywhere (TestMain).
		if v == nil || testmodel.IsPackageLevel(v) || x.Opaque(v) || x.Def(v) == nil || c.changed(fn, v) {
			return "", false
		}
		def := ast.Unparen(x.Def(v))
		if _, ident := def.(*ast.Ident); ident {
			return "", false
		}
		if name, ok := c.foreignClient(fn, def, srv); ok {
			if name == "a client of its own" {
				name = e.Name
			}
			return name, true
		}
	}
	return "", false
}

// dialsItself reports whether the client or transport literal lit dials
// as net/http does, not through a transport or dial function it is given
// (which may be srv.Client()'s, through a variable): an http.Client whose
// Transport, if set, is itself such a client's; an http.Transport that
// sets no Dial function.
func (c *checker) dialsItself(fn *funcindex.Func, lit *ast.CompositeLit, srv *types.Var) bool {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return false
		}
		switch key.Name {
		case "Transport":
			if _, foreign := c.foreignClient(fn, kv.Value, srv); !foreign {
				return false
			}
		case "Dial", "DialContext", "DialTLS", "DialTLSContext":
			return false
		}
	}
	return true
}

// changed reports whether fn changes the client v after it is defined, or
// hands it on (v.Transport = ..., configure(v)): it may then reach the
// server after all.
func (c *checker) changed(fn *funcindex.Func, v *types.Var) bool {
	info := c.pass.TypesInfo
	changed := false
	var stack []ast.Node
	ast.Inspect(fn.Root().Node, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != v || len(stack) < 2 {
			return !changed
		}
		sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
		if !ok || sel.X != id {
			changed = true // handed on, or assigned
			return false
		}
		if len(stack) >= 3 {
			if as, ok := stack[len(stack)-3].(*ast.AssignStmt); ok {
				for _, lhs := range as.Lhs {
					if lhs == sel {
						changed = true
					}
				}
			}
		}
		return !changed
	})
	return changed
}

// goesTo reports whether e, a URL or (isRequest) a request, is one made
// from srv: it reads srv.URL, or is computed from a value that does.
func (c *checker) goesTo(fn *funcindex.Func, e ast.Expr, isRequest bool, srv *types.Var) bool {
	if isRequest {
		e = c.requestURL(e)
		if e == nil {
			return false
		}
	}
	return c.builtFrom(e, srv, 0)
}

// builtFrom reports whether e mentions srv, or a variable whose values are
// built from it (u := srv.URL + "/x").
func (c *checker) builtFrom(e ast.Expr, srv *types.Var, depth int) bool {
	info := c.pass.TypesInfo
	if testmodel.Mentions(info, e, srv) {
		return true
	}
	if depth > 4 {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			if v := asVar(info.Uses[id]); v != nil && v != srv && !v.IsField() {
				for _, a := range c.sums.Index.Assignments(v) {
					if a.Value != nil && c.builtFrom(a.Value, srv, depth+1) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// requestURL returns the URL that the request e was made with:
// http.NewRequest(method, url, body), directly or through a variable that
// holds only that.
func (c *checker) requestURL(e ast.Expr) ast.Expr {
	info := c.pass.TypesInfo
	for range 4 {
		e = ast.Unparen(e)
		switch x := e.(type) {
		case *ast.Ident:
			v := asVar(info.Uses[x])
			if v == nil {
				return nil
			}
			var def ast.Expr
			for _, a := range c.sums.Index.Assignments(v) {
				if def != nil || a.Value == nil {
					return nil
				}
				def = a.Value // req, err := http.NewRequest(...): result 0
			}
			if def == nil || c.sums.Index.Opaque(v) {
				return nil
			}
			e = def
		case *ast.CallExpr:
			if i, ok := knowledge.RequestURLArg(typeutil.StaticCallee(info, x)); ok && i < len(x.Args) {
				return x.Args[i]
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

func inAny(pos token.Pos, calls []*ast.CallExpr) bool {
	for _, call := range calls {
		if call.Pos() <= pos && pos < call.End() {
			return true
		}
	}
	return false
}

// reportEmptyURL reports a read of the URL of a NewTestServer server
// before anything sets it.
func (c *checker) reportEmptyURL(s *testServer, r urlRead) {
	name := s.v.Name()
	c.pass.Report(analysis.Diagnostic{
		Pos: r.sel.Pos(), End: r.sel.End(),
		Category: categoryTestServerURL,
		Message: fmt.Sprintf("%s.URL is the empty string here: a server made by httptest.NewTestServer sets its URL on the first call of its Client, Start or StartTLS method, and none came before; call %s.Start() (or %s.Client()) before reading %s.URL",
			name, name, name, name),
		Related: []analysis.RelatedInformation{{Pos: s.made.Pos(), End: s.made.End(), Message: "the server is made here, without a URL"}},
	})
}

// reportForeignRequest reports a request sent to a NewTestServer server
// that was not started, through a client that cannot reach it.
func (c *checker) reportForeignRequest(s *testServer, call *ast.CallExpr, client string) {
	name := s.v.Name()
	c.pass.Report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Category: categoryTestServerClient,
		Message: fmt.Sprintf("%s sends the request with %s, which cannot reach %s: a server made by httptest.NewTestServer serves an in-memory network that only %s.Client() reaches, until %s.Start or %s.StartTLS is called; send it with %s.Client(), or call %s.Start() first",
			types.ExprString(call.Fun), client, name, name, name, name, name, name),
		Related: []analysis.RelatedInformation{{Pos: s.made.Pos(), End: s.made.End(), Message: "the server is made here, on the in-memory network"}},
	})
}

// reportHelperRequest reports the call of a helper that sends a request to
// a NewTestServer server that was not started, through a client that
// cannot reach it.
func (c *checker) reportHelperRequest(s *testServer, h helperCall) {
	name, helper := s.v.Name(), types.ExprString(h.call.Fun)
	req := h.effect.request
	c.pass.Report(analysis.Diagnostic{
		Pos: h.call.Pos(), End: h.call.End(),
		Category: categoryTestServerClient,
		Message: fmt.Sprintf("%s sends a request to %s with %s (%s, line %d), which cannot reach it: a server made by httptest.NewTestServer serves an in-memory network that only %s.Client() reaches, until %s.Start or %s.StartTLS is called; have %s send it with %s.Client(), or call %s.Start() first",
			helper, name, h.effect.client, types.ExprString(req.Fun), c.pass.Fset.Position(req.Pos()).Line, name, name, name, helper, name, name),
		Related: []analysis.RelatedInformation{
			{Pos: req.Pos(), End: req.End(), Message: "the request is sent here"},
			{Pos: s.made.Pos(), End: s.made.End(), Message: "the server is made here, on the in-memory network"},
		},
	})
}

// reportHelperURL reports the call of a helper that reads the URL of a
// NewTestServer server before anything set it.
func (c *checker) reportHelperURL(s *testServer, h helperCall) {
	name, helper := s.v.Name(), types.ExprString(h.call.Fun)
	read := h.effect.readsURL
	c.pass.Report(analysis.Diagnostic{
		Pos: h.call.Pos(), End: h.call.End(),
		Category: categoryTestServerURL,
		Message: fmt.Sprintf("%s reads %s.URL (line %d) while it is the empty string: a server made by httptest.NewTestServer sets its URL on the first call of its Client, Start or StartTLS method, and none came before; call %s.Start() (or %s.Client()) first",
			helper, name, c.pass.Fset.Position(read.Pos()).Line, name, name),
		Related: []analysis.RelatedInformation{
			{Pos: read.Pos(), End: read.End(), Message: "the URL is read here"},
			{Pos: s.made.Pos(), End: s.made.End(), Message: "the server is made here, without a URL"},
		},
	})
}
