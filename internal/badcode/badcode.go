// Package badcode runs an analyzer over code that does not type-check, as
// a driver that analyses despite errors would (gopls does): the analyzer
// must report what it can and never panic. The analyzers' tests share it.
package badcode

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// Run type-checks src, the single file bad_test.go of a package bad,
// ignoring its errors, runs root over it after the analyzers it requires,
// with no facts, and returns how many diagnostics root reported. The
// packages src imports are read from export data, with Importer.
func Run(t testing.TB, root *analysis.Analyzer, src string) int {
	t.Helper()
	return RunImporting(t, root, src, Importer())
}

// RunImporting is Run with the packages src imports given by imp: a test
// that has them loaded already saves compiling them.
func RunImporting(t testing.TB, root *analysis.Analyzer, src string, imp types.Importer) int {
	t.Helper()
	return RunAs(t, root, "bad", src, imp)
}

// RunAs is RunImporting for a package of the given path: one of the
// standard library's, compiled with its tests, is read as such.
func RunAs(t testing.TB, root *analysis.Analyzer, path, src string, imp types.Importer) int {
	t.Helper()
	return len(analyze(t, root, path, src, types.Config{Importer: imp, Error: func(error) {}}))
}

// RunAtVersion type-checks src, the single file bad_test.go of a package
// bad, as a module whose go.mod says goVersion would have it ("go1.20"),
// with Importer, runs root over it as Run does, and returns what root
// reported. It fails the test on a type error.
func RunAtVersion(t testing.TB, root *analysis.Analyzer, src, goVersion string) []analysis.Diagnostic {
	t.Helper()
	return analyze(t, root, "bad", src, types.Config{Importer: Importer(), GoVersion: goVersion, Error: func(err error) { t.Error(err) }})
}

// analyze type-checks src as the file bad_test.go of package path with
// conf, runs root over it after the analyzers it requires, with no facts,
// and returns root's diagnostics.
func analyze(t testing.TB, root *analysis.Analyzer, path, src string, conf types.Config) []analysis.Diagnostic {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "bad_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := NewInfo()
	pkg, _ := conf.Check(path, fset, []*ast.File{f}, info)
	results := make(map[*analysis.Analyzer]any)
	var diags []analysis.Diagnostic
	var run func(a *analysis.Analyzer)
	run = func(a *analysis.Analyzer) {
		if _, done := results[a]; done {
			return
		}
		for _, req := range a.Requires {
			run(req)
		}
		pass := &analysis.Pass{
			Analyzer:          a,
			Fset:              fset,
			Files:             []*ast.File{f},
			Pkg:               pkg,
			TypesInfo:         info,
			ResultOf:          results,
			ReadFile:          func(string) ([]byte, error) { return []byte(src), nil },
			ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
			ExportObjectFact:  func(types.Object, analysis.Fact) {},
			ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
			ExportPackageFact: func(analysis.Fact) {},
			AllObjectFacts:    func() []analysis.ObjectFact { return nil },
			AllPackageFacts:   func() []analysis.PackageFact { return nil },
			Report:            func(analysis.Diagnostic) {},
		}
		if a == root {
			pass.Report = func(d analysis.Diagnostic) { diags = append(diags, d) }
		}
		res, err := a.Run(pass)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		results[a] = res
	}
	run(root)
	return diags
}

// NewInfo returns an empty types.Info with every map that drivers fill
// and analyzers read, for tests that type-check code themselves.
func NewInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}
