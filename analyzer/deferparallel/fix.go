package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// fixer turns the defers of one function into t.Cleanup calls.
//
// Defers run last-in first-out when the function returns, and cleanups
// run last-in first-out after the test and its subtests: a defer turned
// into a cleanup moves after every defer that stays. So converting one
// defer converts every earlier defer of the function too, which keeps
// their relative order. Each defer is converted once, in source order, so
// that the fixes of several diagnostics agree on every edit they share.
type fixer struct {
	c       *checker
	body    *ast.BlockStmt
	results map[*types.Var]bool // named results, which return statements assign
	defers  []*ast.DeferStmt
	done    map[*ast.DeferStmt]conversion
	src     *analysisutil.Source
	taken   map[string]bool // names the declaration uses or the fix has given out
	writes  map[*types.Var]bool
}

type conversion struct {
	edit analysis.TextEdit
	ok   bool
}

func newFixer(c *checker, body *ast.BlockStmt, typ *ast.FuncType, defers []*ast.DeferStmt) *fixer {
	f := &fixer{
		c:       c,
		body:    body,
		results: make(map[*types.Var]bool),
		defers:  defers,
		done:    make(map[*ast.DeferStmt]conversion),
	}
	if typ.Results != nil {
		for _, field := range typ.Results.List {
			for _, name := range field.Names {
				if v, ok := c.pass.TypesInfo.Defs[name].(*types.Var); ok {
					f.results[v] = true
				}
			}
		}
	}
	f.src, _ = c.sources.Of(body.Pos())
	return f
}

// upTo returns the edits that register d, and every defer before it, with
// t.Cleanup; ok is false if that cannot be done exactly.
func (f *fixer) upTo(d *ast.DeferStmt, t ast.Expr) (edits []analysis.TextEdit, ok bool) {
	info := f.c.pass.TypesInfo
	tid, isIdent := ast.Unparen(t).(*ast.Ident)
	if !isIdent || f.src == nil {
		return nil, false
	}
	tvar, _ := info.Uses[tid].(*types.Var)
	if tvar == nil {
		return nil, false
	}
	// A cleanup that the function registers after d ran after d; once d is
	// a cleanup registered before it, it would run before d.
	later := false
	for _, call := range f.c.sums.Index.Calls(f.body) {
		if recv, ok := testmodel.CleanupCall(info, call); ok && call.Pos() > d.Pos() && testmodel.VarOf(info, recv) == tvar {
			later = true
		}
	}
	if later {
		return nil, false
	}
	for _, e := range f.defers {
		if e.Pos() > d.Pos() {
			break
		}
		// An earlier release (mu.Unlock) that became a cleanup would run
		// after the subtests, which may be waiting for it.
		if e != d && isRelease(info, e.Call) {
			return nil, false
		}
		conv, done := f.done[e]
		if !done {
			conv = f.convert(e, tid.Name, tvar)
			f.done[e] = conv
		}
		if !conv.ok {
			return nil, false
		}
		edits = append(edits, conv.edit)
	}
	return edits, true
}

// convert rewrites defer d as a call of t.Cleanup.
func (f *fixer) convert(d *ast.DeferStmt, t string, tvar *types.Var) conversion {
	info := f.c.pass.TypesInfo
	if _, obj := f.c.pass.Pkg.Scope().Innermost(d.Pos()).LookupParent(t, d.Pos()); obj != tvar {
		return conversion{} // t is not in scope here, or shadowed
	}
	call := d.Call
	fun := ast.Unparen(call.Fun)
	var sig *types.Signature
	if typ := info.TypeOf(call.Fun); typ != nil {
		sig, _ = typ.Underlying().(*types.Signature)
	}
	if tv := info.Types[call.Fun]; tv.IsBuiltin() {
		sig = nil
		if id, ok := fun.(*ast.Ident); ok && (id.Name == "recover" || id.Name == "panic") {
			return conversion{}
		}
	}

	var text string
	var binds []string
	switch {
	case isFuncLit(fun) && len(call.Args) == 0 && sig != nil && sig.Params().Len() == 0 && sig.Results().Len() == 0:
		if !f.movable(fun.(*ast.FuncLit)) {
			return conversion{}
		}
		// defer func() { ... }()  =>  t.Cleanup(func() { ... })
		text = t + ".Cleanup(" + f.text(fun) + ")"
	case sig != nil && len(call.Args) == 0 && sig.Params().Len() == 0 && sig.Results().Len() == 0 && !sig.Variadic():
		// defer ts.Close()  =>  t.Cleanup(ts.Close): the function value,
		// receiver included, is evaluated here, as defer evaluated it.
		text = t + ".Cleanup(" + f.text(call.Fun) + ")"
	default:
		if lit, ok := fun.(*ast.FuncLit); ok && !f.movable(lit) {
			return conversion{}
		}
		// defer f(x, y)  =>  t.Cleanup(func() { f(x, y) }), binding to new
		// variables here whatever defer would have evaluated here and may
		// change before the cleanup runs.
		var parts []string
		callee := f.text(call.Fun)
		if !f.calleeStable(call.Fun) {
			name := f.fresh(d, baseName(call.Fun)+"Fn")
			binds = append(binds, name+" := "+callee)
			callee = name
		}
		for i, arg := range call.Args {
			s := f.text(arg)
			if !f.stable(arg) || strings.Contains(s, "\n") {
				name := f.fresh(d, argName(arg, sig, i))
				binds = append(binds, name+" := "+s)
				s = name
			}
			parts = append(parts, s)
		}
		if strings.Contains(callee, "\n") {
			return conversion{}
		}
		ellipsis := ""
		if call.Ellipsis.IsValid() {
			ellipsis = "..."
		}
		text = t + ".Cleanup(func() { " + callee + "(" + strings.Join(parts, ", ") + ellipsis + ") })"
	}

	if len(binds) > 0 {
		indent, ok := f.src.Indent(d.Pos())
		if !ok {
			return conversion{}
		}
		text = strings.Join(binds, "\n"+indent) + "\n" + indent + text
	}
	return conversion{edit: analysis.TextEdit{Pos: d.Pos(), End: d.End(), NewText: []byte(text)}, ok: true}
}

// movable reports whether a deferred function literal does the same when
// it runs as a cleanup: it must not recover (only a deferred call can) nor
// set the function's named results (a cleanup runs after they are read).
func (f *fixer) movable(lit *ast.FuncLit) bool {
	info := f.c.pass.TypesInfo
	ok := true
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, isIdent := ast.Unparen(n.Fun).(*ast.Ident); isIdent && id.Name == "recover" {
				if _, builtin := info.Uses[id].(*types.Builtin); builtin {
					ok = false
				}
			}
		case *ast.Ident:
			if v, isVar := info.Uses[n].(*types.Var); isVar && f.results[v] {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// calleeStable reports whether evaluating fun in the cleanup gives the same
// function (and receiver) that defer evaluated.
func (f *fixer) calleeStable(fun ast.Expr) bool {
	info := f.c.pass.TypesInfo
	if tv := info.Types[fun]; tv.IsBuiltin() {
		return true
	}
	switch e := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		return true
	case *ast.IndexExpr:
		return f.calleeStable(e.X)
	case *ast.IndexListExpr:
		return f.calleeStable(e.X)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil {
			return sel.Kind() == types.MethodVal && f.stable(e.X)
		}
		_, isFunc := info.Uses[e.Sel].(*types.Func) // pkg.F
		return isFunc
	}
	return f.stable(fun)
}

// stable reports whether e has the same value wherever it is evaluated
// after the defer: a constant, a function, or a local variable that nothing
// assigns after its declaration, nor takes the address of.
func (f *fixer) stable(e ast.Expr) bool {
	info := f.c.pass.TypesInfo
	if tv := info.Types[e]; tv.Value != nil || tv.IsNil() {
		return true
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		switch obj := info.Uses[e].(type) {
		case *types.Func:
			return true
		case *types.Var:
			return !testmodel.IsPackageLevel(obj) && !f.results[obj] && !f.written()[obj]
		}
	case *ast.SelectorExpr:
		if info.Selections[e] == nil {
			_, isFunc := info.Uses[e.Sel].(*types.Func)
			return isFunc
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			if id, ok := ast.Unparen(e.X).(*ast.Ident); ok {
				_, isVar := info.Uses[id].(*types.Var)
				return isVar
			}
		}
	}
	return false
}

// written returns the variables of the declaration that are assigned after
// their declaration, incremented, or have their address taken (explicitly,
// or by calling a pointer method on them).
func (f *fixer) written() map[*types.Var]bool {
	if f.writes != nil {
		return f.writes
	}
	info := f.c.pass.TypesInfo
	w := make(map[*types.Var]bool)
	mark := func(e ast.Expr) {
		if v := testmodel.RootVar(info, e); v != nil {
			w[v] = true
		}
	}
	ast.Inspect(f.c.root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && n.Tok == token.DEFINE && info.Defs[id] != nil {
					continue // declared here
				}
				mark(lhs)
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						mark(e)
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal && sel.Indirect() == false {
				if _, ptrRecv := sel.Obj().(*types.Func).Signature().Recv().Type().(*types.Pointer); ptrRecv {
					if _, isPtr := info.TypeOf(n.X).Underlying().(*types.Pointer); !isPtr {
						mark(n.X)
					}
				}
			}
		}
		return true
	})
	f.writes = w
	return w
}

// fresh returns a name based on base that is declared nowhere in the
// declaration, resolves to nothing at d, and has not been given out.
func (f *fixer) fresh(d *ast.DeferStmt, base string) string {
	if f.taken == nil {
		f.taken = make(map[string]bool)
		ast.Inspect(f.c.root, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				f.taken[id.Name] = true
			}
			return true
		})
	}
	name := analysisutil.FreshName(f.c.pass.Pkg, d.Pos(), base, nil, func(name string) bool { return f.taken[name] })
	f.taken[name] = true
	return name
}

// argName suggests a variable name for argument i of a call of a function
// of type sig: the argument's own name if it is a variable, else the name
// of the parameter it is passed to.
func argName(arg ast.Expr, sig *types.Signature, i int) string {
	switch ast.Unparen(arg).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return baseName(arg)
	}
	if sig != nil && sig.Params().Len() > 0 {
		p := sig.Params().At(min(i, sig.Params().Len()-1))
		if name := p.Name(); name != "" && name != "_" {
			return name
		}
	}
	return baseName(arg)
}

// baseName suggests a variable name for the value of e.
func baseName(e ast.Expr) string {
	name := ""
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		name = e.Name
	case *ast.SelectorExpr:
		name = e.Sel.Name
	case *ast.CallExpr:
		return baseName(e.Fun)
	case *ast.IndexExpr:
		return baseName(e.X)
	}
	if name == "" || name == "_" {
		return "arg"
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}

// text returns the source text of n.
func (f *fixer) text(n ast.Node) string { return f.src.Of(n) }

func isFuncLit(e ast.Expr) bool {
	_, ok := e.(*ast.FuncLit)
	return ok
}
