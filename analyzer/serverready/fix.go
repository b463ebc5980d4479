package serverready

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// fix returns the fix for a server started with go srv.ListenAndServe()
// or go http.ListenAndServe(addr, h), directly or as the one listening
// call of a go func() { ... }() body: listen first, on the test's
// goroutine, then serve the listener.
func (c *checker) fix(start summary.Event) *analysis.SuggestedFix {
	g, ok := start.Node.(*ast.GoStmt)
	if !ok {
		return nil
	}
	info := c.pass.TypesInfo
	listen := g.Call
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		if len(g.Call.Args) > 0 {
			return nil
		}
		var calls []*ast.CallExpr
		for _, call := range c.sums.Index.Calls(lit.Body) {
			if listenKind(info, call) != "" {
				calls = append(calls, call)
			}
		}
		if len(calls) != 1 {
			return nil
		}
		listen = calls[0]
	}
	kind := listenKind(info, listen)
	if kind == "" {
		return nil
	}
	src, ok := c.sources.Of(g.Pos())
	if !ok {
		return nil
	}
	file, text := src.File, src.Of
	indent, ok := src.Indent(g.Pos())
	if !ok {
		return nil
	}
	t := c.testingValue(g.Pos())
	if t == "" {
		return nil
	}
	sel, ok := ast.Unparen(listen.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}

	// The address, which must mean the same at the go statement.
	var addr, serve string
	ln := analysisutil.FreshName(c.pass.Pkg, g.Pos(), "ln", nil, nil)
	switch kind {
	case "method", "methodTLS":
		srv := sel.X
		if !c.inScope(srv, g.Pos()) || !c.hasAddr(srv) {
			return nil
		}
		addr = text(srv) + ".Addr"
		if kind == "method" {
			serve = "Serve(" + ln + ")"
		} else {
			serve = "ServeTLS(" + ln + ", " + text(listen.Args[0]) + ", " + text(listen.Args[1]) + ")"
		}
	case "func", "funcTLS":
		if !c.inScope(listen.Args[0], g.Pos()) {
			return nil
		}
		addr = text(listen.Args[0])
		if kind == "func" {
			serve = "Serve(" + ln + ", " + text(listen.Args[1]) + ")"
		} else {
			serve = "ServeTLS(" + ln + ", " + text(listen.Args[3]) + ", " + text(listen.Args[1]) + ", " + text(listen.Args[2]) + ")"
		}
	}
	errName := analysisutil.FreshName(c.pass.Pkg, g.Pos(), "err", types.Universe.Lookup("error").Type(), nil)
	netName, importEdit, ok := analysisutil.AddImport(c.pass, file, g.Pos(), "net")
	if !ok {
		return nil
	}
	decl := ln + ", " + errName + " := " + netName + ".Listen(\"tcp\", " + addr + ")\n" +
		indent + "if " + errName + " != nil {\n" +
		indent + "\t" + t + ".Fatal(" + errName + ")\n" +
		indent + "}\n" + indent
	edits := []analysis.TextEdit{
		{Pos: g.Pos(), End: g.Pos(), NewText: []byte(decl)},
		{Pos: sel.Sel.Pos(), End: listen.End(), NewText: []byte(serve)},
	}
	if importEdit != nil {
		edits = append(edits, *importEdit)
	}
	return &analysis.SuggestedFix{Message: "Listen with net.Listen before starting the server's goroutine, then serve the listener", TextEdits: edits}
}

// listenKind classifies a call that listens and serves: srv.ListenAndServe()
// ("method"), srv.ListenAndServeTLS(c, k) ("methodTLS"),
// http.ListenAndServe(addr, h) ("func"), http.ListenAndServeTLS(addr, c, k, h)
// ("funcTLS"); "" for anything else.
func listenKind(info *types.Info, call *ast.CallExpr) string {
	fn := typeutil.StaticCallee(info, call)
	switch n := len(call.Args); {
	case knowledge.IsMethod(fn, "net/http", "Server", "ListenAndServe") && n == 0:
		return "method"
	case knowledge.IsMethod(fn, "net/http", "Server", "ListenAndServeTLS") && n == 2:
		return "methodTLS"
	case knowledge.IsFunc(fn, "net/http", "ListenAndServe") && n == 2:
		return "func"
	case knowledge.IsFunc(fn, "net/http", "ListenAndServeTLS") && n == 4:
		return "funcTLS"
	}
	return ""
}

// hasAddr reports whether the server srv is a variable declared with an
// http.Server literal that sets Addr: with Addr unset, ListenAndServe
// listens on ":http", which net.Listen("tcp", "") does not.
func (c *checker) hasAddr(srv ast.Expr) bool {
	v := testmodel.VarOf(c.pass.TypesInfo, srv)
	if v == nil {
		return false
	}
	def := c.sums.Index.Def(v)
	if u, ok := ast.Unparen(def).(*ast.UnaryExpr); ok && u.Op == token.AND {
		def = u.X
	}
	lit, ok := ast.Unparen(def).(*ast.CompositeLit)
	if !ok {
		return false
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Addr" {
				return true
			}
		}
	}
	return false
}

// inScope reports whether every identifier of e means, at pos, what it
// means where e is.
func (c *checker) inScope(e ast.Expr, pos token.Pos) bool {
	info := c.pass.TypesInfo
	scope := c.pass.Pkg.Scope().Innermost(pos)
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		id, isIdent := n.(*ast.Ident)
		if !isIdent || !ok {
			return ok
		}
		obj := info.Uses[id]
		if obj == nil {
			return true // a field or method name
		}
		if _, isField := obj.(*types.Var); isField && obj.(*types.Var).IsField() {
			return true
		}
		if _, found := scope.LookupParent(id.Name, pos); found != obj {
			ok = false
		}
		return true
	})
	return ok
}

// testingValue returns the name of the nearest testing value in scope at
// pos: the test's t, b or tb.
func (c *checker) testingValue(pos token.Pos) string {
	for scope := c.pass.Pkg.Scope().Innermost(pos); scope != nil && scope != c.pass.Pkg.Scope(); scope = scope.Parent() {
		for _, name := range scope.Names() {
			if v, ok := scope.Lookup(name).(*types.Var); ok && v.Pos() < pos && testmodel.IsTestingType(v.Type()) {
				if _, found := c.pass.Pkg.Scope().Innermost(pos).LookupParent(name, pos); found == v {
					return name
				}
			}
		}
	}
	return ""
}
