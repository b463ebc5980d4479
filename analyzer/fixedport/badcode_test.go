package fixedport_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/fixedport"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
)

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"fmt"
	"net"
	"net/http"
	"testing"
)

func TestBad(t *testing.T) {
	net.Listen("tcp", undefined)
	net.Listen()
	net.Listen("tcp", fmt.Sprintf(":%d"))
	net.Listen("tcp", fmt.Sprintf(":%d", 1, 2, 3))
	net.Listen("tcp", fmt.Sprintf(":%d%", 8080))
	http.ListenAndServe(":" + missing, nil)
	srv := &http.Server{Addr: 8080}
	srv.ListenAndServe()
	(&http.Server{nope: ":1"}).ListenAndServe()
	helper(t, ":8080")
	var x = helper
	x(t)
	go http.ListenAndServe(":8080")
	http.ListenAndServe(":8081", nil)
}

func helper(t *testing.T, addr string, more ...string) {
	net.Listen("tcp", addr + more)
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
		Analyzer:  fixedport.Analyzer,
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
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
	}
	if _, err := fixedport.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	if diags == 0 {
		t.Error("no finding for http.ListenAndServe(\":8081\", nil): was the code checked at all?")
	}
}
