package failnow

import (
	"go/ast"
	"go/types"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// handlers finds the HTTP handlers that a server runs, on goroutines of
// its own: those passed to httptest.NewServer, http.Serve,
// http.ListenAndServe or an http.Server's Handler, and those registered on
// a mux that one of these serves. A handler the test only calls itself
// (h.ServeHTTP(rec, req)) is not one.
type handlers struct {
	c    *checker
	mux  map[*types.Var][]registration // registrations on each mux variable
	dflt []registration                // registrations on http.DefaultServeMux
	seen map[ast.Node]bool

	servedAt []served // handlers passed to servers
}

// served is a handler passed to a server.
type served struct {
	start   *ast.CallExpr
	handler ast.Expr
}

// A registration is mux.HandleFunc(pattern, handler) or mux.Handle.
type registration struct {
	call    *ast.CallExpr
	handler ast.Expr
}

func newHandlers(c *checker) *handlers {
	return &handlers{c: c, mux: make(map[*types.Var][]registration), seen: make(map[ast.Node]bool)}
}

// call notes what a call does with handlers: registers one on a mux, or
// serves one.
func (h *handlers) call(site summary.Site) {
	fn := site.Ref.Func
	if fn == nil || fn.Pkg() == nil {
		return
	}
	call := site.Call
	if knowledge.RegistersHandler(fn) && len(call.Args) == 2 {
		reg := registration{call: call, handler: call.Args[1]}
		if fn.Signature().Recv() == nil {
			h.dflt = append(h.dflt, reg)
		} else if v := testmodel.VarOf(h.c.pass.TypesInfo, site.Operands[0]); v != nil {
			h.mux[v] = append(h.mux[v], reg)
		}
		return
	}
	if i, ok := knowledge.HandlerArg(fn); ok && i < len(call.Args) {
		h.servedAt = append(h.servedAt, served{call, call.Args[i]})
	}
}

// find records the handlers that are served: those passed to a server
// (seen by call), and those in an http.Server's Handler field.
func (h *handlers) find() {
	if !analysisutil.Imports(h.c.pass.Pkg, "net/http") {
		return
	}
	// Registrations are all known now, whatever their order in the source.
	for _, s := range h.servedAt {
		h.served(s.start, s.handler, 0)
	}
	h.c.sums.Index.Walk([]ast.Node{(*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)}, func(n ast.Node, _ *funcindex.Func) {
		h.server(n)
	})
}

// server records the handler that n, an http.Server literal or an
// assignment to a server's Handler field, gives a server.
func (h *handlers) server(n ast.Node) {
	info := h.c.pass.TypesInfo
	switch n := n.(type) {
	case *ast.CompositeLit:
		if !knowledge.IsType(info.TypeOf(n), "net/http", "Server") {
			return
		}
		for _, elt := range n.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Handler" {
					h.served(n, kv.Value, 0)
				}
			}
		}
	case *ast.AssignStmt:
		if len(n.Lhs) != len(n.Rhs) {
			return
		}
		for i, lhs := range n.Lhs {
			if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && sel.Sel.Name == "Handler" && knowledge.IsType(info.TypeOf(sel.X), "net/http", "Server") {
				h.served(n, n.Rhs[i], 0)
			}
		}
	}
}

// served records as regions the handlers that e, served by a server
// started at start, runs.
func (h *handlers) served(start ast.Node, e ast.Expr, depth int) {
	if e == nil || depth > 6 || h.seen[e] {
		return
	}
	h.seen[e] = true
	info := h.c.pass.TypesInfo
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.IsNil() {
		h.registrations(h.dflt, depth) // a nil handler serves the default mux
		return
	}
	switch x := e.(type) {
	case *ast.FuncLit:
		h.region(start, x)
		return
	case *ast.UnaryExpr:
		h.served(start, x.X, depth+1)
		return
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			h.served(start, x.Args[0], depth+1) // http.HandlerFunc(f)
			return
		}
		// Middleware and constructors: what they are given, and what a
		// local one returns, runs when the server runs what they make.
		for _, arg := range x.Args {
			if isHandlerLike(info.TypeOf(arg)) {
				h.served(start, arg, depth+1)
			}
		}
		if h.c.reportReturned(&region{kind: kindHandler, start: start}, x) {
			return // handlerFor(t) returning testutil.Handler(t): reported here
		}
		if ref, _, ok := h.c.sums.Index.Callee(x); ok {
			if fn := h.c.sums.Index.Func(h.c.sums.Index.Body(ref)); fn != nil {
				for _, ret := range fn.Returns {
					for _, res := range ret.Results {
						h.served(start, res, depth+1)
					}
				}
			}
		}
	case *ast.Ident, *ast.SelectorExpr:
		if v := testmodel.VarOf(info, x); v != nil {
			if regs, ok := h.mux[v]; ok {
				h.registrations(regs, depth)
				return
			}
			if def := h.c.sums.Index.Def(v); def != nil {
				h.served(start, def, depth+1)
				h.storedLater(start, v, depth)
				return
			}
		}
		if sel, ok := x.(*ast.SelectorExpr); ok && sel.Sel.Name == "DefaultServeMux" {
			if v, ok := info.Uses[sel.Sel].(*types.Var); ok && knowledge.InPackage(v, "net/http") {
				h.registrations(h.dflt, depth)
				return
			}
		}
	}
	// A function value, or a value whose ServeHTTP method is in this package.
	t := info.TypeOf(e)
	if t == nil {
		return // does not type-check
	}
	if _, isFunc := t.Underlying().(*types.Signature); isFunc {
		if ref, ok := h.c.sums.Index.Resolve(e); ok {
			h.c.addRegion(&region{kind: kindHandler, start: start, ref: ref})
			if ref.Func != nil && len(ref.Bound) > 0 {
				// fake.handle, where handle calls fake.onRequest: the
				// functions fake was built with there.
				for _, cb := range h.c.heldBy(ref.Bound[0], ref.Func) {
					h.served(start, cb, depth+1)
				}
			}
		}
		return
	}
	m := serveHTTP(info.TypeOf(e))
	if m == nil {
		return
	}
	if h.c.sums.Index.Decl(m) != nil {
		h.c.addRegion(&region{kind: kindHandler, start: start, ref: funcindex.Ref{Func: m}})
	}
	// The callbacks the handler holds and its ServeHTTP calls, of this
	// package or another (go-kit's Server{before, handler}).
	for _, cb := range h.c.sums.HeldCallbacks(e, m) {
		h.served(start, cb, depth+1)
	}
}

// storedLater serves the callbacks put in the fields of v, a local
// handler, after it was built (h.Before = f), of the types its ServeHTTP
// calls.
func (h *handlers) storedLater(start ast.Node, v *types.Var, depth int) {
	m := serveHTTP(v.Type())
	as := h.c.sums.Index.Assignments(v)
	if m == nil || len(as) != 1 || as[0].In == nil {
		return
	}
	info := h.c.pass.TypesInfo
	for _, a := range h.c.sums.Index.LocalStores(as[0].In)[v] {
		stmt, ok := a.Stmt.(*ast.AssignStmt)
		if !ok || len(stmt.Lhs) != len(stmt.Rhs) {
			continue
		}
		for i, lhs := range stmt.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if !ok || stmt.Rhs[i] != a.Value || testmodel.VarOf(info, sel.X) != v {
				continue
			}
			if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal && h.c.sums.CallsHeld(m, s.Type()) {
				h.served(start, a.Value, depth+1)
			}
		}
	}
}

func (h *handlers) registrations(regs []registration, depth int) {
	for _, reg := range regs {
		h.served(reg.call, reg.handler, depth+1)
	}
}

func (h *handlers) region(start ast.Node, lit *ast.FuncLit) {
	h.c.addRegion(&region{kind: kindHandler, start: start, ref: funcindex.Ref{Lit: lit}})
}

// serveHTTP returns the ServeHTTP method of t, or nil.
func serveHTTP(t types.Type) *types.Func {
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	fn, _ := obj.(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// isHandlerLike reports whether t is a function or has a ServeHTTP method.
func isHandlerLike(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := t.Underlying().(*types.Signature); ok {
		return true
	}
	return serveHTTP(t) != nil
}
