package testmodel_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
	"github.com/testraces/testraces/internal/badcode"
)

const src = `package p

import (
	"testing"
	tst "testing"
)

type myTB interface {
	testing.TB
	Extra()
}

type notTB interface{ FailNow() }

func TestA(t *testing.T)         {}
func Test(t *testing.T)          {}
func Testlower(t *testing.T)     {}
func BenchmarkB(b *testing.B)    {}
func FuzzF(f *tst.F)             {}
func TestWrongParam(t testing.TB) {}
func ExampleE()                  {}

var (
	_ *testing.T
	_ testing.TB
	_ myTB
	_ notTB
	_ *testing.M
	_ testing.T
)
`

func check(t *testing.T) (*token.FileSet, *ast.File, *types.Info) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: badcode.Importer()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return fset, f, info
}

func TestTestFuncKind(t *testing.T) {
	_, f, info := check(t)
	want := map[string]string{
		"TestA": "Test", "Test": "Test", "Testlower": "", "BenchmarkB": "Benchmark",
		"FuzzF": "Fuzz", "TestWrongParam": "", "ExampleE": "",
	}
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok {
			continue
		}
		if got := testmodel.TestFuncKind(info, fd); got != want[fd.Name.Name] {
			t.Errorf("TestFuncKind(%s) = %q, want %q", fd.Name.Name, got, want[fd.Name.Name])
		}
	}
}

func TestIsTestingType(t *testing.T) {
	_, f, info := check(t)
	want := []bool{true, true, true, false, false, false} // *T, TB, myTB, notTB, *M, T
	i := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			typ := info.TypeOf(spec.(*ast.ValueSpec).Type)
			if got := testmodel.IsTestingType(typ); got != want[i] {
				t.Errorf("IsTestingType(%v) = %v, want %v", typ, got, want[i])
			}
			i++
		}
	}
}

// TestDeclaresFailNowFamily checks which interfaces declare a method of
// the FailNow family as testing.TB does: the ones whose Fatalf may be a
// testing value's.
func TestDeclaresFailNowFamily(t *testing.T) {
	const src = `package p

type fataler interface{ Fatalf(format string, args ...any) }
type fatal interface{ Fatal(args ...interface{}) }
type skipper interface{ SkipNow() }
type namedString string
type fatalfNamed interface{ Fatalf(format namedString, args ...any) }
type fatalError interface{ Fatal(err error) }
type fatalfNoArgs interface{ Fatalf(format string) }
type fatalReturns interface{ Fatal(args ...any) error }
type logger interface{ Printf(format string, args ...any) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"fataler": true, "fatal": true, "skipper": true, "fatalfNamed": true,
		"fatalError": false, "fatalfNoArgs": false, "fatalReturns": false, "logger": false,
	} {
		iface := pkg.Scope().Lookup(name).Type().Underlying().(*types.Interface)
		if got := testmodel.DeclaresFailNowFamily(iface); got != want {
			t.Errorf("DeclaresFailNowFamily(%s) = %v, want %v", name, got, want)
		}
	}
}
