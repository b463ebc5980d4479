package aftertest_test

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

	"github.com/testraces/testraces/analyzer/aftertest"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/summary"
)

// TestAnalyzer runs the analyzer over its cases (TestAnalyzers of the
// module runs them too, with every analyzer's).
func TestAnalyzer(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, dir, aftertest.Analyzer, "aftertest/...")
}

// TestAddDoneBeforeGo125 checks the fix of a module whose go.mod says go
// 1.24, which has no sync.WaitGroup.Go: wg.Add(1) and defer wg.Done(),
// and no fix when the goroutine's body shares the line of its brace.
func TestAddDoneBeforeGo125(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join("testdata", "go124"), aftertest.Analyzer, "./...")
}

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"testing"
	"time"
)

func TestBad(t *testing.T) {
	go func() { t.Log(undefined) }()
	go undefinedFunc(t)
	go func(x int) { t.Errorf("%d", x) }()
	logger := missing.NewLogger(t)
	go func() { logger.Info("x") }()
	time.AfterFunc(time.Second, nil)
	time.AfterFunc(time.Second, func() { t.Error() })
	go t.Log()
	go func() {
		select {
		case <-t.Context().Done():
		}
	}()
	var f func()
	go f()
}

func helper(t testing.TB) undefinedType {
	go func() { t.Log() }()
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
	index := funcindex.New(fset, pkg, info, files)
	diags := 0
	pass := &analysis.Pass{
		Fset:              fset,
		Files:             files,
		Pkg:               pkg,
		TypesInfo:         info,
		ResultOf:          map[*analysis.Analyzer]any{funcindex.Analyzer: index},
		Report:            func(analysis.Diagnostic) { diags++ },
		ReadFile:          func(string) ([]byte, error) { return []byte(src), nil },
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
	}
	pass.Analyzer = summary.Analyzer
	sums, err := summary.Analyzer.Run(pass)
	if err != nil {
		t.Fatal(err)
	}
	pass.Analyzer = aftertest.Analyzer
	pass.ResultOf[summary.Analyzer] = sums
	if _, err := aftertest.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	if diags == 0 {
		t.Error("no finding for go func() { t.Log(undefined) }(): was the code checked at all?")
	}
}
