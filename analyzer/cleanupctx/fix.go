package cleanupctx

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
)

// fix returns the edits that wrap entry, a context expression in the
// cleanup, in context.WithoutCancel, adding the context import if needed.
func (c *checker) fix(entry ast.Expr) ([]analysis.TextEdit, bool) {
	if !isContext(c.info.TypeOf(entry)) {
		return nil, false
	}
	file := c.files[c.pass.Fset.File(entry.Pos())]
	if file == nil || !c.fileAllows(file) {
		return nil, false
	}
	src, ok := analysisutil.SourceOf(c.pass, entry.Pos())
	if !ok {
		return nil, false
	}
	name, importEdit, ok := c.contextImport(file, entry.Pos())
	if !ok {
		return nil, false
	}
	edits := []analysis.TextEdit{{
		Pos:     entry.Pos(),
		End:     entry.End(),
		NewText: []byte(name + ".WithoutCancel(" + src.Of(entry) + ")"),
	}}
	if importEdit != nil {
		edits = append(edits, *importEdit)
	}
	return edits, true
}

// fileAllows reports whether the file's Go version has
// context.WithoutCancel (Go 1.21). An unknown version allows it, as the
// type checker did.
func (c *checker) fileAllows(file *ast.File) bool {
	v := c.info.FileVersions[file]
	return !version.IsValid(v) || version.Compare(v, "go1.21") >= 0
}

// contextImport returns the name under which the file imports package
// context, and the edit that adds the import if it does not yet.
func (c *checker) contextImport(file *ast.File, pos token.Pos) (string, *analysis.TextEdit, bool) {
	scope := c.pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return "", nil, false
	}
	for _, spec := range file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == "context" {
			name := "context"
			if spec.Name != nil {
				name = spec.Name.Name
			}
			if name == "_" || name == "." {
				return "", nil, false
			}
			_, obj := scope.LookupParent(name, pos)
			pkg, ok := obj.(*types.PkgName)
			return name, nil, ok && pkg.Imported().Path() == "context"
		}
	}
	if _, obj := scope.LookupParent("context", pos); obj != nil {
		return "", nil, false // the name is taken
	}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if !gen.Lparen.IsValid() {
			// import "testing"  =>  import ( "context"; "testing" )
			spec := gen.Specs[0].(*ast.ImportSpec)
			src, ok := analysisutil.SourceOf(c.pass, spec.Pos())
			if !ok {
				return "", nil, false
			}
			text := "(\n\t\"context\"\n\t" + src.Of(spec) + "\n)"
			if path, _ := strconv.Unquote(spec.Path.Value); path < "context" {
				text = "(\n\t" + src.Of(spec) + "\n\t\"context\"\n)"
			}
			return "context", &analysis.TextEdit{Pos: spec.Pos(), End: spec.End(), NewText: []byte(text)}, true
		}
		// Keep the block sorted: before the first path that sorts after "context".
		for _, spec := range gen.Specs {
			is := spec.(*ast.ImportSpec)
			if path, _ := strconv.Unquote(is.Path.Value); path > "context" {
				return "context", &analysis.TextEdit{Pos: is.Pos(), End: is.Pos(), NewText: []byte("\"context\"\n\t")}, true
			}
		}
		if len(gen.Specs) == 0 {
			return "", nil, false
		}
		last := gen.Specs[len(gen.Specs)-1]
		return "context", &analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte("\n\t\"context\"")}, true
	}
	return "", nil, false
}
