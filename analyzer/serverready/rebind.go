package serverready

import (
	"go/ast"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// rebinds reports a server started on the address of a listener that the
// function closed just before ("pick a free port, close it, serve on it"):
// another process can take the port in between. The cure is to keep the
// listener and serve it.
func (c *checker) rebinds(body *ast.BlockStmt) {
	info := c.pass.TypesInfo
	// The closes in body, by the variable closed.
	closes := make(map[*types.Var]*ast.CallExpr)
	for _, call := range c.sums.Calls(body) {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Close" || len(call.Args) != 0 {
			continue
		}
		if v := testmodel.RootVar(info, sel.X); v != nil && isListenerish(info.TypeOf(sel.X)) {
			if _, seen := closes[v]; !seen {
				closes[v] = call
			}
		}
	}
	if len(closes) == 0 {
		return
	}
	var loops []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if addr := listenAddr(info, n); addr != nil {
				c.rebind(n, addr, closes, loops)
			}
		case *ast.CompositeLit:
			if knowledge.IsType(info.TypeOf(n), "net/http", "Server") {
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Addr" {
							c.rebind(n, kv.Value, closes, loops)
						}
					}
				}
			}
		}
		return true
	})
}

// rebind reports n, which listens on addr, if addr is the address of a
// listener closed before n.
func (c *checker) rebind(n ast.Node, addr ast.Expr, closes map[*types.Var]*ast.CallExpr, loops []ast.Node) {
	info := c.pass.TypesInfo
	v := testmodel.VarOf(info, addr)
	if v == nil {
		return
	}
	def := c.sums.Funcs.Def(v)
	if def == nil {
		def = c.defOf(v)
	}
	listener := addrOf(info, def)
	if listener == nil {
		return
	}
	closed := closes[listener]
	if closed == nil || closed.Pos() > n.Pos() || closed.Pos() < v.Pos() {
		return
	}
	// Closing and listening again in a loop that retries when the listen
	// fails handles the lost race.
	for _, loop := range loops {
		if loop.Pos() <= closed.Pos() && n.End() <= loop.End() {
			return
		}
	}
	if c.reported[n.Pos()] {
		return
	}
	c.reported[n.Pos()] = true
	c.pass.Report(analysis.Diagnostic{
		Pos: n.Pos(), End: n.End(),
		Category: categoryRebind,
		Message: "the server listens on the address of a listener closed at line " +
			strconv.Itoa(c.pass.Fset.Position(closed.Pos()).Line) +
			": another process can take the port in between; keep the listener open and serve it (srv.Serve(ln))",
		Related: []analysis.RelatedInformation{{Pos: closed.Pos(), End: closed.End(), Message: "the listener is closed here"}},
	})
}

// defOf finds the value v is declared with, for variables Funcs does not
// index (strings).
func (c *checker) defOf(v *types.Var) ast.Expr {
	var def ast.Expr
	for _, f := range c.pass.Files {
		if f.FileStart > v.Pos() || v.Pos() > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if def != nil {
				return false
			}
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, lhs := range as.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && c.pass.TypesInfo.Defs[id] == v {
						def = as.Rhs[i]
					}
				}
			}
			return n == nil || (n.Pos() <= v.Pos() && v.Pos() < n.End())
		})
	}
	return def
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

// listenAddr returns the address argument of a call that creates a
// listener: net.Listen(network, addr), http.ListenAndServe(addr, h).
func listenAddr(info *types.Info, call *ast.CallExpr) ast.Expr {
	fn := typeutil.StaticCallee(info, call)
	switch {
	case knowledge.IsFunc(fn, "net", "Listen") || knowledge.IsFunc(fn, "crypto/tls", "Listen"):
		if len(call.Args) >= 2 {
			return call.Args[1]
		}
	case knowledge.IsFunc(fn, "net/http", "ListenAndServe", "ListenAndServeTLS"):
		if len(call.Args) >= 1 {
			return call.Args[0]
		}
	}
	return nil
}

// isListenerish reports whether t is a net.Listener or an httptest.Server.
func isListenerish(t types.Type) bool {
	return knowledge.IsNetListener(t) || knowledge.IsType(t, "net/http/httptest", "Server")
}
