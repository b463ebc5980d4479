package cleanupctx

import (
	"go/ast"
	"go/version"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// fix returns the edits that wrap entry, a context expression in the
// cleanup, in context.WithoutCancel, adding the context import if needed.
func (c *checker) fix(entry ast.Expr) ([]analysis.TextEdit, bool) {
	if !knowledge.IsContext(c.info.TypeOf(entry)) {
		return nil, false
	}
	file := c.files[c.pass.Fset.File(entry.Pos())]
	if file == nil || !c.fileAllows(file) {
		return nil, false
	}
	src, ok := c.sources.Of(entry.Pos())
	if !ok {
		return nil, false
	}
	name, importEdit, ok := analysisutil.AddImport(c.pass, file, entry.Pos(), "context")
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
