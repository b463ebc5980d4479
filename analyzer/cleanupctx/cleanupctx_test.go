package cleanupctx_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/cleanupctx"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
)

// TestNoFixBeforeGo121 checks that a module whose go.mod says go 1.20 gets
// the finding and no fix: context.WithoutCancel is Go 1.21. (The GOPATH
// packages of TestAnalyzers have no Go version, and a //go:build line
// cannot lower a file's version below go1.21.) With a fix there would be
// edits and no .golden file to compare them with, which fails the test.
func TestNoFixBeforeGo121(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join("testdata", "go120"), cleanupctx.Analyzer, "./...")
}

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"context"
	"testing"
)

func TestBad(t *testing.T) {
	ctx, cancel := context.WithCancel(undefined)
	defer cancel()
	t.Cleanup(func() { missing(ctx); ctx.Nope(); t.Cleanup(nil...) })
	t.Cleanup(undefinedFunc)
	t.Cleanup(func() { drop(t.Context(), ) })
	var x = t.Context
	x()(1)
	t.Run("a", func() { t.Cleanup(func() { drop(t.Context()) }) })
	t.Cleanup(s.teardown)
}

func drop(ctx context.Context) error { return ctx.Err() }

func helper(t testing.TB, f func()) context.Context {
	t.Cleanup(f)
	return
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "bad_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("bad", fset, []*ast.File{f}, info)
	files := []*ast.File{f}
	diags := 0
	pass := &analysis.Pass{
		Analyzer:  cleanupctx.Analyzer,
		Fset:      fset,
		Files:     files,
		Pkg:       pkg,
		TypesInfo: info,
		ResultOf: map[*analysis.Analyzer]any{
			funcindex.Analyzer: funcindex.New(fset, pkg, info, files),
		},
		Report:            func(analysis.Diagnostic) { diags++ },
		ReadFile:          func(string) ([]byte, error) { return []byte(src), nil },
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
	}
	if _, err := cleanupctx.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	if diags == 0 {
		t.Error("no finding for drop(t.Context()) in a cleanup: was the code checked at all?")
	}
}
