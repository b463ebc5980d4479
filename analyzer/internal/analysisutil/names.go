package analysisutil

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// FreshName returns base, or base followed by a number, that a fix may
// declare at pos in pkg: a name that is no keyword, that taken (if not
// nil) does not reject, and that resolves to nothing at pos — or, when typ
// is not nil, to a variable of type typ, which := may assign again.
func FreshName(pkg *types.Package, pos token.Pos, base string, typ types.Type, taken func(string) bool) string {
	scope := pkg.Scope().Innermost(pos)
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name += strconv.Itoa(i)
		}
		if token.IsKeyword(name) || taken != nil && taken(name) {
			continue
		}
		_, obj := scope.LookupParent(name, pos)
		if obj == nil {
			return name
		}
		if v, ok := obj.(*types.Var); ok && typ != nil && types.Identical(v.Type(), typ) {
			return name
		}
	}
}

// ResolvesToImport reports whether name, at pos in pkg, is the import of
// the package path.
func ResolvesToImport(pkg *types.Package, name string, pos token.Pos, path string) bool {
	_, obj := pkg.Scope().Innermost(pos).LookupParent(name, pos)
	pn, ok := obj.(*types.PkgName)
	return ok && pn.Imported().Path() == path
}

// AddImport returns the name under which file refers, at pos, to the
// package importPath, and the edit that adds its import when file does not
// import it yet: in the file's import block, keeping it sorted, or turning
// a lone import into a block. ok is false when the name would not resolve
// to the package at pos (another declaration takes it, or the file imports
// it as _ or .), or the file has no import declaration to add to.
func AddImport(pass *analysis.Pass, file *ast.File, pos token.Pos, importPath string) (name string, edit *analysis.TextEdit, ok bool) {
	pkg := pass.Pkg
	for _, spec := range file.Imports {
		if p, _ := strconv.Unquote(spec.Path.Value); p == importPath {
			name := path.Base(importPath)
			if spec.Name != nil {
				name = spec.Name.Name
			}
			return name, nil, ResolvesToImport(pkg, name, pos, importPath)
		}
	}
	name = path.Base(importPath)
	if _, obj := pkg.Scope().Innermost(pos).LookupParent(name, pos); obj != nil {
		return "", nil, false
	}
	quoted := strconv.Quote(importPath)
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if !gen.Lparen.IsValid() {
			// import "testing"  =>  import ( "context"; "testing" )
			spec := gen.Specs[0].(*ast.ImportSpec)
			src, ok := SourceOf(pass, spec.Pos())
			if !ok {
				return "", nil, false
			}
			specs := []string{quoted, src.Of(spec)}
			if p, _ := strconv.Unquote(spec.Path.Value); p < importPath {
				specs[0], specs[1] = specs[1], specs[0]
			}
			text := "(\n\t" + specs[0] + "\n\t" + specs[1] + "\n)"
			return name, &analysis.TextEdit{Pos: spec.Pos(), End: spec.End(), NewText: []byte(text)}, true
		}
		if len(gen.Specs) == 0 {
			return "", nil, false
		}
		// Keep the block sorted: before the first path that sorts after
		// this one, within its group of imports.
		for _, spec := range gen.Specs {
			is := spec.(*ast.ImportSpec)
			if p, _ := strconv.Unquote(is.Path.Value); p > importPath && sameGroup(p, importPath) {
				return name, &analysis.TextEdit{Pos: is.Pos(), End: is.Pos(), NewText: []byte(quoted + "\n\t")}, true
			}
		}
		last := gen.Specs[len(gen.Specs)-1]
		return name, &analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte("\n\t" + quoted)}, true
	}
	return "", nil, false
}

// sameGroup reports whether two import paths belong in the same group of
// an import block, as goimports groups them: the standard library's, and
// the others.
func sameGroup(a, b string) bool { return isStdPath(a) == isStdPath(b) }

func isStdPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// DeleteImport returns the edit that removes spec and its line, or nil
// when spec does not have a line of its own.
func DeleteImport(pass *analysis.Pass, spec *ast.ImportSpec) *analysis.TextEdit {
	src, ok := SourceOf(pass, spec.Pos())
	if !ok {
		return nil
	}
	if _, ok := src.Indent(spec.Pos()); !ok {
		return nil
	}
	end, ok := src.EndOfLine(spec.End())
	if !ok || src.Token.Offset(end) >= len(src.Text) {
		return nil
	}
	return &analysis.TextEdit{Pos: src.Token.LineStart(src.Token.Line(spec.Pos())), End: end + 1}
}

// CalleeName names, for a message, the function that call calls as the
// source spells it, without type arguments: "srv.Close", "helper".
func CalleeName(call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	return types.ExprString(fun)
}
