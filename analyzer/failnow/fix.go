package failnow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// replacements maps the stopping methods that have a non-stopping twin
// to it: the fix reports the failure and returns from the goroutine.
var replacements = map[string]string{"Fatal": "Error", "Fatalf": "Errorf", "FailNow": "Fail"}

// fix returns the fix for call, a statement of the region's own body, when
// one is exactly right: t.Fatal(args) becomes t.Error(args) and a return;
// require.X(t, args) becomes if !assert.X(t, args) { return }.
func (c *checker) fix(r *region, call *ast.CallExpr, parent ast.Node, f finding) *analysis.SuggestedFix {
	stmt, ok := parent.(*ast.ExprStmt)
	if !ok || stmt.X != call || r.kind == kindSubtest || r.ref.Lit == nil {
		return nil
	}
	file := c.fileOf(call.Pos())
	if file == nil {
		return nil
	}
	tf := c.pass.Fset.File(file.FileStart)
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	indent, ok := lineIndent(tf, src, stmt.Pos())
	if !ok {
		return nil
	}
	ret, ok := c.returnStmt(r.ref.Lit, call, f)
	if !ok {
		return nil
	}
	text := func(from, to token.Pos) string { return string(src[tf.Offset(from):tf.Offset(to)]) }
	// What follows the statement on its line (a comment) stays with it.
	lineEnd, ok := endOfLine(tf, src, stmt.End())
	if !ok {
		return nil
	}
	trailing := text(stmt.End(), lineEnd)

	switch {
	case replacements[f.method] != "" && !f.helper:
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		repl := replacements[f.method]
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
		if _, isPkg := c.pass.TypesInfo.Uses[identOf(sel.X)].(*types.PkgName); !isPkg {
			return nil
		}
		name, importEdit, ok := c.assertImport(file, call.Pos(), c.usesOf(file, identOf(sel.X)) == 1)
		if !ok {
			return nil
		}
		args := text(call.Lparen+1, call.Rparen)
		edits := []analysis.TextEdit{{
			Pos: stmt.Pos(), End: lineEnd,
			NewText: []byte("if !" + name + "." + f.require + "(" + args + ") {" + trailing + "\n" + indent + "\t" + ret + "\n" + indent + "}"),
		}}
		if importEdit != nil {
			edits = append(edits, *importEdit)
		}
		return &analysis.SuggestedFix{Message: "Use assert." + f.require + " and return from the goroutine", TextEdits: edits}
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
		case f.require == "NoError" && len(call.Args) >= 2:
			arg = call.Args[1]
		}
		if id, ok := ast.Unparen(arg).(*ast.Ident); ok && isError(c.pass.TypesInfo.TypeOf(id)) {
			return "return " + id.Name, true
		}
	}
	return "", false
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
		case strings.HasSuffix(path, "github.com/stretchr/testify/assert"):
			assert = spec
		case strings.HasSuffix(path, "github.com/stretchr/testify/require"):
			require = spec
		}
	}
	if require == nil {
		return "", nil, false
	}
	if assert != nil {
		path, _ := strconv.Unquote(assert.Path.Value)
		name := "assert"
		if assert.Name != nil {
			name = assert.Name.Name
		}
		var edit *analysis.TextEdit
		if lastRequire {
			edit = c.deleteImport(require)
		}
		return name, edit, c.resolvesToImport(name, pos, path)
	}
	if _, obj := c.pass.Pkg.Scope().Innermost(pos).LookupParent("assert", pos); obj != nil {
		return "", nil, false // the name is taken
	}
	requirePath, _ := strconv.Unquote(require.Path.Value)
	assertPath := strconv.Quote(strings.TrimSuffix(requirePath, "require") + "assert")
	if lastRequire { // require's import becomes assert's
		return "assert", &analysis.TextEdit{Pos: require.Pos(), End: require.End(), NewText: []byte(assertPath)}, true
	}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT || require.Pos() < gen.Pos() || require.End() > gen.End() {
			continue
		}
		if gen.Lparen.IsValid() {
			return "assert", &analysis.TextEdit{Pos: require.Pos(), End: require.Pos(), NewText: []byte(assertPath + "\n\t")}, true
		}
		return "assert", &analysis.TextEdit{Pos: gen.Pos(), End: gen.Pos(), NewText: []byte("import " + assertPath + "\n")}, true
	}
	return "", nil, false
}

// deleteImport returns the edit that removes spec and its line.
func (c *checker) deleteImport(spec *ast.ImportSpec) *analysis.TextEdit {
	tf := c.pass.Fset.File(spec.Pos())
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	if _, ok := lineIndent(tf, src, spec.Pos()); !ok {
		return nil
	}
	end, ok := endOfLine(tf, src, spec.End())
	if !ok || tf.Offset(end) >= len(src) {
		return nil
	}
	return &analysis.TextEdit{Pos: tf.LineStart(tf.Line(spec.Pos())), End: end + 1}
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

// resolvesToImport reports whether name, at pos, is the import of path.
func (c *checker) resolvesToImport(name string, pos token.Pos, path string) bool {
	_, obj := c.pass.Pkg.Scope().Innermost(pos).LookupParent(name, pos)
	pkg, ok := obj.(*types.PkgName)
	return ok && pkg.Imported().Path() == path
}

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// lineIndent returns the white space that starts pos's line, if pos starts it.
func lineIndent(tf *token.File, src []byte, pos token.Pos) (string, bool) {
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	prefix := string(src[start:tf.Offset(pos)])
	return prefix, strings.TrimLeft(prefix, " \t") == ""
}

// endOfLine returns the end of pos's line, if nothing but white space and
// a line comment follows pos on it.
func endOfLine(tf *token.File, src []byte, pos token.Pos) (token.Pos, bool) {
	off := tf.Offset(pos)
	end := off
	for end < len(src) && src[end] != '\n' {
		end++
	}
	rest := strings.TrimSpace(string(src[off:end]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return token.NoPos, false
	}
	return tf.Pos(end), true
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}
