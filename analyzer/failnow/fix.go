package failnow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// replacements maps the FailNow-family methods to their twins that only
// report: the fix reports the failure and returns from the goroutine.
var replacements = map[string]string{"Fatal": "Error", "Fatalf": "Errorf", "FailNow": "Fail"}

// fix returns the fix for call, a statement of the region's own body, when
// one is exactly right: t.Fatal(args) becomes t.Error(args) and a return;
// require.X(t, args) becomes if !assert.X(t, args) { return }.
func (c *checker) fix(r *region, call *ast.CallExpr, parent ast.Node, f finding) *analysis.SuggestedFix {
	stmt, ok := parent.(*ast.ExprStmt)
	if !ok || stmt.X != call || r.kind == kindSubtest || r.kind == kindSubBenchmark || r.shared || r.ref.Lit == nil {
		return nil
	}
	src, ok := c.sources.Of(call.Pos())
	if !ok {
		return nil
	}
	file := src.File
	indent, ok := src.Indent(stmt.Pos())
	if !ok {
		return nil
	}
	ret, ok := c.returnStmt(r.ref.Lit, call, f)
	if !ok {
		return nil
	}
	// What follows the statement on its line (a comment) stays with it.
	lineEnd, ok := src.EndOfLine(stmt.End())
	if !ok {
		return nil
	}
	trailing := src.Between(stmt.End(), lineEnd)

	switch {
	case replacements[f.method] != "" && !f.helper:
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		repl := replacements[f.method]
		if !ok || f.noTwin {
			return nil
		}
		return &analysis.SuggestedFix{
			Message: "Report with " + repl + " and return from the goroutine",
			TextEdits: []analysis.TextEdit{
				{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(repl)},
				{Pos: lineEnd, End: lineEnd, NewText: []byte("\n" + indent + ret)},
			},
		}
	case f.require != "":
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		// The assert counterpart of the call's function or receiver:
		// require.X => assert.X; s.Require().X => s.Assert().X;
		// require.New(t).X => assert.New(t).X.
		var assert, message string
		var importEdit *analysis.TextEdit
		if f.assertions {
			assert, importEdit, ok = c.assertReceiver(file, sel.X, call.Pos())
			message = "Use the assert form of " + f.require + " and return from the goroutine"
		} else if _, isPkg := c.pass.TypesInfo.Uses[identOf(sel.X)].(*types.PkgName); isPkg {
			assert, importEdit, ok = c.assertImport(file, call.Pos(), c.usesOf(file, identOf(sel.X)) == 1)
			message = "Use assert." + f.require + " and return from the goroutine"
		} else {
			ok = false
		}
		if !ok {
			return nil
		}
		args := src.Between(call.Lparen+1, call.Rparen)
		edits := []analysis.TextEdit{{
			Pos: stmt.Pos(), End: lineEnd,
			NewText: []byte("if !" + assert + "." + f.require + "(" + args + ") {" + trailing + "\n" + indent + "\t" + ret + "\n" + indent + "}"),
		}}
		if importEdit != nil {
			edits = append(edits, *importEdit)
		}
		return &analysis.SuggestedFix{Message: message, TextEdits: edits}
	}
	return nil
}

// returnStmt returns the return statement that ends the goroutine's
// function lit in place of f: a bare return, or for a function returning
// an error (errgroup's Go), the error being reported.
func (c *checker) returnStmt(lit *ast.FuncLit, call *ast.CallExpr, f finding) (string, bool) {
	sig, _ := c.pass.TypesInfo.TypeOf(lit).(*types.Signature)
	if sig == nil {
		return "", false
	}
	switch sig.Results().Len() {
	case 0:
		return "return", true
	case 1:
		if !isError(sig.Results().At(0).Type()) {
			return "", false
		}
		// The error to return: the one Fatal(err) or NoError(t, err) reports.
		var arg ast.Expr
		switch {
		case (f.method == "Fatal" || f.method == "Fatalf") && len(call.Args) == 1:
			arg = call.Args[0]
		case f.require == "NoError" && f.assertions && len(call.Args) >= 1:
			arg = call.Args[0]
		case f.require == "NoError" && !f.assertions && len(call.Args) >= 2:
			arg = call.Args[1]
		}
		if id, ok := ast.Unparen(arg).(*ast.Ident); ok && isError(c.pass.TypesInfo.TypeOf(id)) {
			return "return " + id.Name, true
		}
	}
	return "", false
}

// assertReceiver returns the assert counterpart of recv, a
// *require.Assertions: X.Assert() for a suite's X.Require(), and
// assert.New(t) for require.New(t), with the edit that imports assert if
// needed.
func (c *checker) assertReceiver(file *ast.File, recv ast.Expr, pos token.Pos) (string, *analysis.TextEdit, bool) {
	info := c.pass.TypesInfo
	src, ok := c.sources.Of(pos)
	if !ok {
		return "", nil, false
	}
	// A variable r := require.New(t) gets no fix: rewriting its uses could
	// leave it unused.
	call, ok := ast.Unparen(recv).(*ast.CallExpr)
	if !ok {
		return "", nil, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", nil, false
	}
	switch {
	case sel.Sel.Name == "Require" && len(call.Args) == 0:
		if obj, _, _ := types.LookupFieldOrMethod(info.TypeOf(sel.X), true, c.pass.Pkg, "Assert"); obj == nil {
			return "", nil, false
		}
		return src.Of(sel.X) + ".Assert()", nil, true
	case sel.Sel.Name == "New" && len(call.Args) == 1:
		pkg, ok := info.Uses[identOf(sel.X)].(*types.PkgName)
		if !ok || !knowledge.IsTestify(pkg.Imported().Path(), knowledge.TestifyRequire) {
			return "", nil, false
		}
		name, importEdit, ok := c.assertImport(file, pos, false)
		if !ok {
			return "", nil, false
		}
		return name + ".New(" + src.Of(call.Args[0]) + ")", importEdit, true
	}
	return "", nil, false
}

// assertImport returns the name under which the file imports testify's
// assert, and the edit to the imports the fix needs: adding assert if the
// file does not import it yet, and removing require if lastRequire says
// the fix removes its last use. ok is false when the name would not
// resolve to assert at pos.
func (c *checker) assertImport(file *ast.File, pos token.Pos, lastRequire bool) (string, *analysis.TextEdit, bool) {
	var require, assert *ast.ImportSpec
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		switch {
		case knowledge.IsTestify(path, knowledge.TestifyAssert):
			assert = spec
		case knowledge.IsTestify(path, knowledge.TestifyRequire):
			require = spec
		}
	}
	if require == nil {
		return "", nil, false
	}
	requirePath, _ := strconv.Unquote(require.Path.Value)
	assertPath := strings.TrimSuffix(requirePath, "require") + "assert"
	if assert != nil {
		assertPath, _ = strconv.Unquote(assert.Path.Value)
	} else if lastRequire { // require's import becomes assert's
		if _, obj := c.pass.Pkg.Scope().Innermost(pos).LookupParent("assert", pos); obj != nil {
			return "", nil, false // the name is taken
		}
		return "assert", &analysis.TextEdit{Pos: require.Pos(), End: require.End(), NewText: []byte(strconv.Quote(assertPath))}, true
	}
	name, edit, ok := analysisutil.AddImport(c.pass, file, pos, assertPath)
	if assert != nil && lastRequire {
		edit = analysisutil.DeleteImport(c.pass, require)
	}
	return name, edit, ok
}

// usesOf counts the uses of the package name id in file.
func (c *checker) usesOf(file *ast.File, id *ast.Ident) int {
	if id == nil {
		return 0
	}
	obj := c.pass.TypesInfo.Uses[id]
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		if x, ok := node.(*ast.Ident); ok && c.pass.TypesInfo.Uses[x] == obj {
			n++
		}
		return true
	})
	return n
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}
