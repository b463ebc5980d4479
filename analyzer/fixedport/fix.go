package fixedport

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// fix returns the suggested fix for f, if one is certainly right.
func (c *checker) fix(f *finding) *analysis.SuggestedFix {
	if f.listen.Helper || f.listen.Field != nil || f.addr == nil {
		return nil
	}
	switch {
	case knowledge.IsFunc(f.listen.Fn, "net", "Listen", "ListenPacket") || knowledge.IsFunc(f.listen.Fn, "crypto/tls", "Listen") ||
		knowledge.IsMethod(f.listen.Fn, "net", "ListenConfig", "Listen", "ListenPacket"):
		return c.freePortFix(f)
	case knowledge.IsFunc(f.listen.Fn, "net/http", "ListenAndServe"):
		return c.testServerFix(f)
	}
	return nil
}

// freePortFix turns net.Listen("tcp", ":8080") into
// net.Listen("tcp", "127.0.0.1:0") when the address is a literal and
// nothing else in the package spells its port: the test then reaches the
// listener only through the listener (ln.Addr()), which port 0 keeps
// working. The host is kept when it names one; all interfaces become the
// loopback address of the network's family, which is all a test needs.
func (c *checker) freePortFix(f *finding) *analysis.SuggestedFix {
	lit, ok := ast.Unparen(f.addr).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || f.listen.Network == nil {
		return nil
	}
	network, ok := c.listens.Fold(f.listen.Network)
	if !ok {
		return nil
	}
	addr, err := strconv.Unquote(lit.Value)
	if err != nil {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	switch network {
	case "tcp", "tcp4", "udp", "udp4":
		if host == "" || host == "0.0.0.0" {
			host = "127.0.0.1"
		}
	case "tcp6", "udp6":
		if host == "" || host == "::" {
			host = "::1"
		}
	default:
		return nil
	}
	if host == "::" { // all interfaces of a dual-stack network
		host = "127.0.0.1"
	}
	if c.portSpelled(f.port, map[token.Pos]bool{lit.Pos(): true}) {
		return nil
	}
	free := strconv.Quote(net.JoinHostPort(host, "0"))
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("Listen on %s, a free port", free),
		TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(free)}},
	}
}

// portSpelled reports whether a literal of the package other than those
// in allowed spells port: a string with it as a run of digits, or the
// integer. A test that dials "localhost:8080" elsewhere needs the port
// it listens on.
func (c *checker) portSpelled(port int, allowed map[token.Pos]bool) bool {
	digits := strconv.Itoa(port)
	found := false
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			if _, ok := n.(*ast.ImportSpec); ok {
				return false // "github.com/panjf2000/gnet/v2" spells no port
			}
			lit, ok := n.(*ast.BasicLit)
			if found || !ok || allowed[lit.Pos()] {
				return !found
			}
			switch lit.Kind {
			case token.INT:
				if v, err := strconv.ParseInt(lit.Value, 0, 64); err == nil && v == int64(port) {
					found = true
				}
			case token.STRING:
				found = hasDigitRun(lit.Value, digits)
			}
			return !found
		})
	}
	return found
}

// hasDigitRun reports whether s holds digits as a run of digits of its
// own: "localhost:8080/x" holds 8080, "18080" does not.
func hasDigitRun(s, digits string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], digits)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(digits)
		if (start == 0 || !isDigit(s[start-1])) && (end == len(s) || !isDigit(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// testServerFix turns go http.ListenAndServe(":8080", h), in a test whose
// requests build their URLs from the same address after it, into an
// httptest server:
//
//	srv := httptest.NewServer(h)
//	defer srv.Close()
//	http.Get(srv.URL + "/health")
//
// It is offered only when every place of the package that spells the
// port is one of those URLs ("http://localhost:8080/health") or the
// address itself, a literal or a constant used only for the listen and
// for URLs ("http://localhost" + addr); when the URLs are in the block of
// the go statement after it, outside function literals (which may run
// after the function returned and closed the server); and when the
// listen's goroutine does nothing else.
func (c *checker) testServerFix(f *finding) *analysis.SuggestedFix {
	goStmt, ok := c.serverGoroutine(f.call)
	if !ok || len(f.call.Args) != 2 || c.idx.LoopOf(goStmt.Call) != nil {
		return nil
	}
	block := c.blockOf(goStmt, f.in.Root().Body)
	if block == nil {
		return nil
	}
	allowed := make(map[token.Pos]bool)
	addrConst := c.addressConstant(f.addr, allowed)
	if lit, ok := ast.Unparen(f.addr).(*ast.BasicLit); ok {
		allowed[lit.Pos()] = true
	} else if addrConst == nil {
		return nil
	}
	urls, ok := c.urls(block, goStmt, f.port, addrConst, allowed)
	if !ok || len(urls) == 0 || c.portSpelled(f.port, allowed) || addrConst != nil && c.constUsedElsewhere(addrConst, f.addr, urls) {
		return nil
	}
	src, ok := c.sources.Of(goStmt.Pos())
	if !ok {
		return nil
	}
	indent, ok := src.Indent(goStmt.Pos())
	if !ok || !c.importsStayUsed(src.File, goStmt, f.call) {
		return nil
	}
	httptest, importEdit, ok := analysisutil.AddImport(c.pass, src.File, goStmt.Pos(), "net/http/httptest")
	if !ok {
		return nil
	}
	name := analysisutil.FreshName(c.pass.Pkg, goStmt.Pos(), "srv", nil, func(s string) bool { return c.declaredIn(f.in.Root().Body, s) })
	text := fmt.Sprintf("%s := %s.NewServer(%s)\n%sdefer %s.Close()", name, httptest, src.Of(f.call.Args[1]), indent, name)
	edits := []analysis.TextEdit{{Pos: goStmt.Pos(), End: goStmt.End(), NewText: []byte(text)}}
	if importEdit != nil {
		edits = append(edits, *importEdit)
	}
	for _, u := range urls {
		repl := name + ".URL"
		if u.rest != "" {
			repl += " + " + strconv.Quote(u.rest)
		}
		edits = append(edits, analysis.TextEdit{Pos: u.expr.Pos(), End: u.expr.End(), NewText: []byte(repl)})
	}
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("Serve %s with httptest.NewServer, on a free port", src.Of(f.call.Args[1])),
		TextEdits: edits,
	}
}

// serverGoroutine returns the go statement that runs call and nothing
// else: go http.ListenAndServe(...), or a literal whose one statement is
// the call, _ = the call, or a call that only logs its error
// (log.Fatal(http.ListenAndServe(...))).
func (c *checker) serverGoroutine(call *ast.CallExpr) (*ast.GoStmt, bool) {
	if g := c.idx.GoOf(call); g != nil {
		return g, true
	}
	fn := c.idx.Func(c.enclosingLit(call))
	if fn == nil || fn.Outer == nil {
		return nil, false
	}
	lit := fn.Node.(*ast.FuncLit)
	if len(lit.Body.List) != 1 || len(fn.Params) != 0 {
		return nil, false
	}
	var expr ast.Expr
	switch s := lit.Body.List[0].(type) {
	case *ast.ExprStmt:
		expr = s.X
	case *ast.AssignStmt:
		if len(s.Lhs) != 1 || len(s.Rhs) != 1 || !isBlank(s.Lhs[0]) {
			return nil, false
		}
		expr = s.Rhs[0]
	default:
		return nil, false
	}
	expr = ast.Unparen(expr)
	if outer, ok := expr.(*ast.CallExpr); ok && outer != call && len(outer.Args) == 1 && ast.Unparen(outer.Args[0]) == call {
		if fn, ok := typeutil.Callee(c.info, outer).(*types.Func); !ok || !knowledge.OnlyReports(fn) {
			return nil, false
		}
		expr = call
	}
	if expr != call {
		return nil, false
	}
	if g := c.idx.CallOf(lit); g != nil && len(g.Args) == 0 {
		if gs := c.idx.GoOf(g); gs != nil {
			return gs, true
		}
	}
	return nil, false
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// enclosingLit returns the innermost function literal that holds n, or
// nil.
func (c *checker) enclosingLit(n ast.Node) ast.Node {
	var lit ast.Node
	for _, fn := range c.idx.Funcs() {
		if l, ok := fn.Node.(*ast.FuncLit); ok && l.Pos() <= n.Pos() && n.End() <= l.End() {
			if lit == nil || l.Pos() >= lit.Pos() {
				lit = l
			}
		}
	}
	return lit
}

// blockOf returns the block whose statement s is, within body.
func (c *checker) blockOf(s ast.Stmt, body *ast.BlockStmt) *ast.BlockStmt {
	var block *ast.BlockStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if b, ok := n.(*ast.BlockStmt); ok && block == nil {
			for _, st := range b.List {
				if st == s {
					block = b
				}
			}
		}
		return block == nil
	})
	return block
}

// addressConstant returns the constant that addr names, when its value is
// a literal (const addr = ":8080"), adding that literal to allowed; nil
// otherwise.
func (c *checker) addressConstant(addr ast.Expr, allowed map[token.Pos]bool) *types.Const {
	id, ok := ast.Unparen(addr).(*ast.Ident)
	if !ok {
		return nil
	}
	k, ok := c.info.Uses[id].(*types.Const)
	if !ok || k.Pkg() != c.pass.Pkg {
		return nil
	}
	for _, file := range c.pass.Files {
		var lit *ast.BasicLit
		ast.Inspect(file, func(n ast.Node) bool {
			if spec, ok := n.(*ast.ValueSpec); ok {
				for i, name := range spec.Names {
					if c.info.Defs[name] == k && i < len(spec.Values) {
						lit, _ = ast.Unparen(spec.Values[i]).(*ast.BasicLit)
					}
				}
			}
			return lit == nil
		})
		if lit != nil {
			allowed[lit.Pos()] = true
			return k
		}
	}
	return nil
}

// A url is an expression that builds a URL of the server's address:
// "http://localhost:8080/health" (rest "/health"), or
// "http://localhost" + addr (rest "").
type url struct {
	expr ast.Expr
	rest string
}

// urls returns the URLs of the listen's address built in block after
// goStmt, adding their literals to allowed; ok is false when one is in a
// function literal or a constant declaration.
func (c *checker) urls(block *ast.BlockStmt, goStmt *ast.GoStmt, port int, addr *types.Const, allowed map[token.Pos]bool) ([]url, bool) {
	var found []url
	ok := true
	prefixes := []string{"http://localhost:", "http://127.0.0.1:", "http://[::1]:"}
	ast.Inspect(block, func(n ast.Node) bool {
		if !ok || n == nil || n.End() <= goStmt.End() {
			return ok
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			// Fine only if nothing in it spells the port.
			ast.Inspect(n, func(m ast.Node) bool {
				if lit, isLit := m.(*ast.BasicLit); isLit && hasDigitRun(lit.Value, strconv.Itoa(port)) {
					ok = false
				}
				if id, isID := m.(*ast.Ident); isID && addr != nil && c.info.Uses[id] == addr {
					ok = false
				}
				return ok
			})
			return false
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				return false // its literals stay: portSpelled sees them
			}
		case *ast.BinaryExpr:
			// "http://localhost" + addr
			if addr == nil || n.Op != token.ADD {
				return true
			}
			id, isID := ast.Unparen(n.Y).(*ast.Ident)
			x, isLit := ast.Unparen(n.X).(*ast.BasicLit)
			if !isID || !isLit || c.info.Uses[id] != addr || x.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(x.Value); err == nil && addr.Val().Kind() == constant.String && isServerURL(s+constant.StringVal(addr.Val()), port, prefixes) {
				found = append(found, url{expr: n})
				return false
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(n.Value)
			if err != nil {
				return true
			}
			for _, p := range prefixes {
				head := p + strconv.Itoa(port)
				if rest, cut := strings.CutPrefix(s, head); cut && (rest == "" || rest[0] == '/' || rest[0] == '?') {
					found = append(found, url{expr: n, rest: rest})
					allowed[n.Pos()] = true
				}
			}
		}
		return true
	})
	return found, ok
}

// isServerURL reports whether s is the URL of the server: one of
// prefixes, then the port.
func isServerURL(s string, port int, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p+strconv.Itoa(port) {
			return true
		}
	}
	return false
}

// constUsedElsewhere reports whether addr is used anywhere but in the
// listen and the URLs.
func (c *checker) constUsedElsewhere(addr *types.Const, listen ast.Expr, urls []url) bool {
	for id, obj := range c.info.Uses {
		if obj != addr || id == ast.Unparen(listen) {
			continue
		}
		inURL := false
		for _, u := range urls {
			if u.expr.Pos() <= id.Pos() && id.End() <= u.expr.End() {
				inURL = true
			}
		}
		if !inURL {
			return true
		}
	}
	return false
}

// importsStayUsed reports whether every package that the go statement
// names (http, log) is still named elsewhere in file once it is replaced:
// the fix removes no import.
func (c *checker) importsStayUsed(file *ast.File, goStmt *ast.GoStmt, call *ast.CallExpr) bool {
	used := make(map[*types.PkgName]int) // uses outside the go statement's call head
	inGo := make(map[*types.PkgName]bool)
	handler := call.Args[1]
	ast.Inspect(file, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		pn, ok := c.info.Uses[id].(*types.PkgName)
		if !ok {
			return true
		}
		removed := goStmt.Pos() <= id.Pos() && id.End() <= goStmt.End() && !(handler.Pos() <= id.Pos() && id.End() <= handler.End())
		if removed {
			inGo[pn] = true
		} else {
			used[pn]++
		}
		return true
	})
	for pn := range inGo {
		if used[pn] == 0 {
			return false
		}
	}
	return true
}

// declaredIn reports whether body declares name anywhere: a fresh name
// must not clash with a later declaration of the same block.
func (c *checker) declaredIn(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name && c.info.Defs[id] != nil {
			found = true
		}
		return !found
	})
	return found
}
