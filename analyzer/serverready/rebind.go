package serverready

import (
	"go/ast"
	"go/types"
	"maps"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// rebinds reports a server started on the address of a listener that the
// function closed before ("pick a free port, close it, serve on it"):
// another process can take the port in between. The cure is to keep the
// listener and serve it. The address may reach the server directly
// (net.Listen("tcp", addr)), through an http.Server literal's Addr, or
// through what is built from it (a server, a constructor's result) that a
// start then runs.
func (c *checker) rebinds(fn *funcindex.Func) {
	body := fn.Body
	closes := c.closesIn(body, false)
	freed := c.freedIn(body)
	if len(closes) == 0 && len(freed) == 0 {
		return
	}
	r := newRebinder(c, fn, closes, freed)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			r.loops = append(r.loops, n)
		}
		return true
	})
	info := c.pass.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			// net.Listen, a server's own ListenAndServe(addr), a
			// framework's start, a helper's that listens on what it is
			// given.
			if c.listens.Untold(n) {
				// It listens on an address built from what it is given in
				// ways not followed (a configuration it parses): any
				// operand may carry the closed listener's address.
				for _, arg := range n.Args {
					r.report(n, r.addressIn(arg), "the server listens")
				}
			}
			if !c.listens.MayListen(n) {
				return true
			}
			if l, ok := c.listens.Of(n, fn); ok {
				for _, a := range l.Addrs {
					if a.Path != "" {
						continue // a field of a parameter: the callers give it
					}
					r.report(n, r.addressIn(a.Expr), "the server listens")
				}
			}
		case *ast.CompositeLit:
			if knowledge.IsType(info.TypeOf(n), "net/http", "Server") {
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Addr" {
							r.report(n, r.addressIn(kv.Value), "the server listens")
						}
					}
				}
			}
		}
		return true
	})
	// A start that runs what carries the address: go s.Run(ctx),
	// go func() { srv.ListenAndServe() }(), startGate(gate).
	for _, e := range c.sums.Events(body) {
		if e.Kind == summary.EventStart {
			r.report(e.Node, r.carried(e.Node), "the server started here listens")
		}
	}
}

// freedIn returns the variables of body assigned a freed address by a
// free-port helper, each with the helper's call: the listener was closed
// there.
func (c *checker) freedIn(body *ast.BlockStmt) map[*types.Var]*ast.CallExpr {
	if !c.anyFreed() {
		return nil // no free-port helper here or in what the package imports: nothing to look for
	}
	// Most bodies call no such helper: their calls, listed, tell without
	// walking them.
	if !slices.ContainsFunc(c.sums.Index.Calls(body), func(call *ast.CallExpr) bool { return c.freedBy(call) != 0 }) {
		return nil
	}
	info := c.pass.TypesInfo
	var freed map[*types.Var]*ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
			if !ok || len(n.Rhs) != 1 {
				return true
			}
			if bits := c.freedBy(call); bits != 0 {
				for i, lhs := range n.Lhs {
					if v := testmodel.VarOf(info, lhs); v != nil && i < 64 && bits&(1<<i) != 0 {
						if freed == nil {
							freed = make(map[*types.Var]*ast.CallExpr)
						}
						freed[v] = call
					}
				}
			}
		}
		return true
	})
	return freed
}

// closesIn returns the listeners (and httptest servers) that body closes,
// each with its first Close call; deferred ones too when asked (a helper
// that returns a port closes its listener on the way out).
func (c *checker) closesIn(body *ast.BlockStmt, deferred bool) map[*types.Var]*ast.CallExpr {
	info := c.pass.TypesInfo
	var closes map[*types.Var]*ast.CallExpr // most bodies close none
	for _, call := range c.sums.Index.Calls(body) {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Close" || len(call.Args) != 0 || !deferred && c.sums.Index.IsDeferred(call) {
			continue // a deferred close runs when the function returns
		}
		if v := testmodel.RootVar(info, sel.X); v != nil && isListenerish(info.TypeOf(sel.X)) {
			if _, seen := closes[v]; !seen {
				if closes == nil {
					closes = make(map[*types.Var]*ast.CallExpr)
				}
				closes[v] = call
			}
		}
	}
	return closes
}

// rebinder follows the addresses of the closed listeners of one function.
type rebinder struct {
	c       *checker
	closes  map[*types.Var]*ast.CallExpr
	freedBy map[*types.Var]*ast.CallExpr // variables given a freed address by a free-port helper, and its call
	loops   []ast.Node
	stores  map[*types.Var][]funcindex.Assignment // what the variables of the function, or their parts, are given
	// carriers memoizes carrier: the listener whose address a variable
	// holds or is built from, nil for none (or while it is being asked).
	carriers map[*types.Var]*types.Var
	done     map[*types.Var]bool // listeners already reported
}

// newRebinder follows the addresses of the listeners closes holds and of
// the freed ports in the variables freed holds (each with the helper's
// call, which closed the listener).
func newRebinder(c *checker, fn *funcindex.Func, closes, freed map[*types.Var]*ast.CallExpr) *rebinder {
	if closes == nil {
		closes = make(map[*types.Var]*ast.CallExpr)
	}
	r := &rebinder{c: c, closes: closes, freedBy: freed, stores: c.sums.Index.LocalStores(fn), carriers: make(map[*types.Var]*types.Var), done: make(map[*types.Var]bool)}
	for v, call := range freed {
		r.closes[v], r.carriers[v] = call, v
	}
	held := make(map[*types.Var]*ast.CallExpr)
	for v, call := range r.closes {
		if ln := r.heldListener(v, call); ln != nil && r.closes[ln] == nil {
			held[ln] = call
		}
	}
	maps.Copy(r.closes, held)
	return r
}

// heldListener returns the listener that close, m.ln.Close(), closes
// when m, a variable of the function, was built holding it (m :=
// &mock{ln: ln, addr: ln.Addr().String()}): the addresses taken from ln
// are those of a closed listener.
func (r *rebinder) heldListener(v *types.Var, close *ast.CallExpr) *types.Var {
	info := r.c.pass.TypesInfo
	sel, ok := ast.Unparen(close.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	field, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok || testmodel.RootVar(info, field.X) != v {
		return nil
	}
	for _, a := range r.stores[v] {
		lit, ok := ast.Unparen(a.Value).(*ast.CompositeLit)
		if u, isAddr := ast.Unparen(a.Value).(*ast.UnaryExpr); isAddr {
			lit, ok = ast.Unparen(u.X).(*ast.CompositeLit)
		}
		if !ok {
			continue
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == field.Sel.Name {
				if ln := testmodel.VarOf(info, kv.Value); ln != nil && isListenerish(ln.Type()) {
					return ln
				}
			}
		}
	}
	return nil
}

// carrier returns the closed listener whose address v holds or is built
// from: what v or a part of it is given carries it (addr :=
// ln.Addr().String(), cfg.Addr = addr, srv := newServer(cfg)).
func (r *rebinder) carrier(v *types.Var) *types.Var {
	if ln, asked := r.carriers[v]; asked {
		return ln
	}
	r.carriers[v] = nil // a cycle (addr = addr + "/") adds nothing
	for _, a := range r.stores[v] {
		if a.Value == nil {
			continue
		}
		if ln := r.addressIn(a.Value); ln != nil {
			r.carriers[v] = ln
			return ln
		}
	}
	return nil
}

// addressIn returns the closed listener whose address e holds or is built
// from: ln.Addr().String(), ts.Listener.Addr(), ts.URL, a carrier, an
// http.Server literal or constructor call given one of these.
func (r *rebinder) addressIn(e ast.Expr) *types.Var {
	info := r.c.pass.TypesInfo
	var found *types.Var
	ast.Inspect(e, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if ln := addrOf(info, n); ln != nil && r.closes[ln] != nil {
				found = ln
			}
		case *ast.SelectorExpr:
			if n.Sel.Name == "URL" && knowledge.IsType(info.TypeOf(n.X), "net/http/httptest", "Server") {
				if ln := testmodel.RootVar(info, n.X); r.closes[ln] != nil {
					found = ln
				}
			}
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok {
				found = r.carrier(v)
			}
		}
		return true
	})
	return found
}

// carried returns the closed listener whose address the code that start
// runs carries: a carrier it uses, or captures.
func (r *rebinder) carried(start ast.Node) *types.Var {
	info := r.c.pass.TypesInfo
	var found *types.Var
	ast.Inspect(start, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && found == nil {
			if v, ok := info.Uses[id].(*types.Var); ok {
				found = r.carrier(v)
			}
		}
		return found == nil
	})
	return found
}

// report reports n, which listens (or starts what listens) on the address
// of ln, if ln was closed before n.
func (r *rebinder) report(n ast.Node, ln *types.Var, what string) {
	c := r.c
	closed := r.closes[ln]
	if ln == nil || closed == nil || closed.Pos() > n.Pos() || r.done[ln] {
		return
	}
	// Closing and listening again in a loop that retries when the listen
	// fails handles the lost race.
	for _, loop := range r.loops {
		if loop.Pos() <= closed.Pos() && n.End() <= loop.End() {
			return
		}
	}
	r.done[ln] = true
	line := strconv.Itoa(c.pass.Fset.Position(closed.Pos()).Line)
	msg := what + " on the address of a listener closed at line " + line
	related := "the listener is closed here"
	if helper := r.freedBy[ln]; helper != nil {
		msg = what + " on a port that " + types.ExprString(helper.Fun) + " (line " + line + ") found free by listening on it and closing the listener"
		related = types.ExprString(helper.Fun) + " closes its listener and returns the port"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: n.Pos(), End: n.End(),
		Category: categoryRebind,
		Message:  msg + ": another process can take the port in between; keep the listener open and serve it (srv.Serve(ln))",
		Related:  []analysis.RelatedInformation{{Pos: closed.Pos(), End: closed.End(), Message: related}},
	})
}

// addrOf returns the listener whose address e is: ln for ln.Addr().String(),
// ts for ts.Listener.Addr().String().
func addrOf(info *types.Info, e ast.Expr) *types.Var {
	for range 8 {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return nil
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if sel.Sel.Name == "Addr" && len(call.Args) == 0 {
			return testmodel.RootVar(info, sel.X)
		}
		e = sel.X // .String()
	}
	return nil
}

// isListenerish reports whether t is a net.Listener or an httptest.Server.
func isListenerish(t types.Type) bool {
	return knowledge.IsNetListener(t) || knowledge.IsType(t, "net/http/httptest", "Server")
}
