package testraces_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces"
	"github.com/testraces/testraces/internal/badcode"
)

// benchTests is how many test functions the generated package has.
const benchTests = 3000

// benchImports are the packages the generated tests import.
var benchImports = []string{"context", "net/http", "net/http/httptest", "os", "strings", "sync", "testing"}

// genTestPackage writes a test package with n test functions in the
// shapes the analyzers look at, racy and not, with helpers. Each test also
// does what most tests mostly do: compute, compare, report.
func genTestPackage(n int) string {
	var b strings.Builder
	b.WriteString("package gen\n\nimport (\n")
	for _, imp := range benchImports {
		fmt.Fprintf(&b, "\t%q\n", imp)
	}
	b.WriteString(")\n\nvar _ = context.Background\nvar _ sync.Mutex\nvar _ = os.Getenv\n\n")
	b.WriteString(`func check(t *testing.T, n int) {
	t.Helper()
	got := strings.Repeat("x", n%7)
	if want := "xx"; got != want && len(got) > 100 {
		t.Errorf("got %q, want %q", got, want)
	}
	for k, v := range map[string]int{"a": 1, "b": n} {
		if v < 0 {
			t.Fatalf("bad %s: %d", k, v)
		}
	}
}
`)
	b.WriteString(`func runCases(t *testing.T, url string) {
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			http.Get(url + name)
		})
	}
}

func markParallel(t *testing.T) { t.Parallel() }
`)
	// What every test does besides the shape under study.
	const ordinary = `
	for i, tc := range []struct {
		in   string
		want int
	}{{"a", 1}, {"bb", 2}, {"ccc", 3}} {
		if got := len(tc.in); got != tc.want {
			t.Errorf("%d: len(%q) = %d, want %d", i, tc.in, got, tc.want)
		}
	}
	check(t, %[1]d)
`
	shapes := []string{`
func TestDefer%[1]d(t *testing.T) {` + ordinary + `
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	ctx := t.Context()
	t.Cleanup(func() { useCtx(ctx) })
	go func() { t.Log(useCtx(ctx)) }()
	for _, tc := range []struct{ name, path string }{{"a", "/a"}, {"b", "/b"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			http.Get(ts.URL + tc.path)
		})
	}
}
`, `
func TestGroup%[1]d(t *testing.T) {` + ordinary + `
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Run("group", func(t *testing.T) {
		t.Run("a", func(t *testing.T) {
			markParallel(t)
			<-ctx.Done()
		})
	})
}
`, `
func TestHelper%[1]d(t *testing.T) {` + ordinary + `
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	runCases(t, ts.URL)
}
`, `
func TestEnv%[1]d(t *testing.T) {` + ordinary + `
	old := os.Getenv("X")
	os.Setenv("X", "1")
	defer os.Setenv("X", old)
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	t.Run("a", func(t *testing.T) {
		if err := ctxErr(); err != nil {
			t.Fatal(err)
		}
	})
}
`, `
func TestPlain%[1]d(t *testing.T) {` + ordinary + `
	if %[1]d%%2 == 0 {
		go http.ListenAndServe("127.0.0.1:0", nil)
		http.Get("http://127.0.0.1:0/")
	} else if %[1]d%%7 == 0 {
		go http.ListenAndServe("127.0.0.1:18080", nil)
	}
	t.Cleanup(func() { useCtx(context.WithoutCancel(t.Context())) })
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i > 5 {
				t.Fatal(i)
			}
		}()
	}
	wg.Wait()
}
`}
	for i := range n {
		// One test in five has a race; the rest are shapes the analyzers
		// must look at and leave alone, or plain tests.
		shape := shapes[1+i%4]
		if i%5 == 0 {
			shape = shapes[0]
		}
		fmt.Fprintf(&b, shape, i)
	}
	b.WriteString("\nfunc ctxErr() error { return nil }\n")
	b.WriteString("\nfunc useCtx(ctx context.Context) error { return ctx.Err() }\n")
	return b.String()
}

// benchPackage is the generated package, parsed, with what type-checking
// it needs.
type benchPackage struct {
	fset  *token.FileSet
	src   []byte
	files []*ast.File
	deps  map[string]*types.Package
}

func loadBenchPackage(tb testing.TB) *benchPackage {
	tb.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedImports | packages.NeedDeps | packages.NeedName}, benchImports...)
	if err != nil {
		tb.Fatal(err)
	}
	p := &benchPackage{fset: token.NewFileSet(), deps: make(map[string]*types.Package)}
	for _, pkg := range pkgs {
		p.deps[pkg.PkgPath] = pkg.Types
	}
	p.src = []byte(genTestPackage(benchTests))
	f, err := parser.ParseFile(p.fset, "gen_test.go", p.src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		tb.Fatal(err)
	}
	p.files = []*ast.File{f}
	return p
}

// check type-checks the package as the go command's drivers do.
func (p *benchPackage) check(tb testing.TB) (*types.Package, *types.Info) {
	info := badcode.NewInfo()
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if pkg, ok := p.deps[path]; ok {
			return pkg, nil
		}
		return nil, fmt.Errorf("no package %q", path)
	})}
	pkg, err := conf.Check("gen", p.fset, p.files, info)
	if err != nil {
		tb.Fatal(err)
	}
	return pkg, info
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// analyze runs a and what it requires over the checked package, as a
// driver would, with no facts from dependencies; it returns how many
// diagnostics a reported.
func analyze(tb testing.TB, p *benchPackage, pkg *types.Package, info *types.Info, a *analysis.Analyzer, shared map[*analysis.Analyzer]any) int {
	return analyzeAll(tb, p, pkg, info, []*analysis.Analyzer{a}, shared)
}

// analyzeAll runs analyzers and what they require, each once.
func analyzeAll(tb testing.TB, p *benchPackage, pkg *types.Package, info *types.Info, analyzers []*analysis.Analyzer, shared map[*analysis.Analyzer]any) int {
	results := make(map[*analysis.Analyzer]any)
	for a, res := range shared {
		results[a] = res
	}
	var diags int
	var run func(a *analysis.Analyzer)
	run = func(a *analysis.Analyzer) {
		if _, ok := results[a]; ok {
			return
		}
		for _, req := range a.Requires {
			run(req)
		}
		resultOf := make(map[*analysis.Analyzer]any)
		for _, req := range a.Requires {
			resultOf[req] = results[req]
		}
		pass := &analysis.Pass{
			Analyzer:          a,
			Fset:              p.fset,
			Files:             p.files,
			Pkg:               pkg,
			TypesInfo:         info,
			TypesSizes:        types.SizesFor("gc", "amd64"),
			ResultOf:          resultOf,
			Report:            func(analysis.Diagnostic) { diags++ },
			ReadFile:          func(string) ([]byte, error) { return p.src, nil },
			ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
			ExportObjectFact:  func(types.Object, analysis.Fact) {},
			ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
			ExportPackageFact: func(analysis.Fact) {},
			AllObjectFacts:    func() []analysis.ObjectFact { return nil },
			AllPackageFacts:   func() []analysis.PackageFact { return nil },
		}
		res, err := a.Run(pass)
		if err != nil {
			tb.Fatal(err)
		}
		if a.ResultType != nil && reflect.TypeOf(res) != a.ResultType {
			tb.Fatalf("%s returned %T", a.Name, res)
		}
		results[a] = res
	}
	for _, a := range analyzers {
		run(a)
	}
	return diags
}

// BenchmarkTypeCheck measures type-checking the generated package: the
// cost every analysis driver pays before any analyzer runs.
func BenchmarkTypeCheck(b *testing.B) {
	p := loadBenchPackage(b)
	b.ResetTimer()
	for b.Loop() {
		p.check(b)
	}
}

// BenchmarkAnalyzers measures each analyzer (with what it requires,
// inspect and the summaries) over the generated package, and reports its
// time as a fraction of type-checking the same package (typecheck-ratio).
func BenchmarkAnalyzers(b *testing.B) {
	p := loadBenchPackage(b)
	pkg, info := p.check(b)
	start := time.Now()
	const checks = 5
	for range checks {
		p.check(b)
	}
	typecheck := time.Since(start) / checks

	// The inspector is built once per package for every analyzer that a
	// driver runs (go vet's own included), so it is not charged to ours.
	shared := map[*analysis.Analyzer]any{
		inspect.Analyzer: inspector.New(p.files),
	}
	b.Run("all", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			analyzeAll(b, p, pkg, info, testraces.Analyzers(), shared)
		}
		perOp := time.Since(start) / time.Duration(b.N)
		b.ReportMetric(float64(perOp)/float64(typecheck), "typecheck-ratio")
	})
	for _, a := range testraces.Analyzers() {
		b.Run(a.Name, func(b *testing.B) {
			if n := analyze(b, p, pkg, info, a, shared); n == 0 {
				b.Fatalf("%s reported nothing on the generated package", a.Name)
			}
			start := time.Now()
			for b.Loop() {
				analyze(b, p, pkg, info, a, shared)
			}
			perOp := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(perOp)/float64(typecheck), "typecheck-ratio")
		})
	}
}

// floorFact is the fact type of floorAnalyzer.
type floorFact struct{}

func (*floorFact) AFact() {}

// floorAnalyzer does nothing, but declares a fact type: a driver then
// analyses every dependency from source, as it must for testraces. It is
// the floor that testraces' own cost is measured against.
var floorAnalyzer = &analysis.Analyzer{
	Name:      "floor",
	Doc:       "does nothing; declares a fact type so that drivers analyse every dependency",
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	FactTypes: []analysis.Fact{new(floorFact)},
}

// floorPackages are the packages BenchmarkFloor analyses with their tests,
// as testraces is run standalone: big, and full of tests that start
// servers, goroutines and subtests.
var floorPackages = []string{"net/http", "net", "os"}

// BenchmarkFloor loads and analyses floorPackages (with tests, every
// dependency from source) with the do-nothing floorAnalyzer and with
// testraces' analyzers: the difference is what testraces costs on top of
// what any fact-using analyzer costs. Compare the two with benchstat.
func BenchmarkFloor(b *testing.B) {
	for _, run := range floorRuns() {
		b.Run(run.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Tests: true}, floorPackages...)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := checker.Analyze(run.analyzers, pkgs, nil); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time, unlike wall time, does not depend on how many
			// cores the parallel driver got.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkFloorAnalysis analyses floorPackages, loaded once, with the
// floor and with testraces: what testraces adds without the loading that
// makes BenchmarkFloor's figures vary by more than that between runs.
func BenchmarkFloorAnalysis(b *testing.B) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Tests: true}, floorPackages...)
	if err != nil {
		b.Fatal(err)
	}
	for _, run := range floorRuns() {
		b.Run(run.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := checker.Analyze(run.analyzers, pkgs, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// floorRun is one set of analyzers the floor benchmarks run.
type floorRun struct {
	name      string
	analyzers []*analysis.Analyzer
}

// floorRuns are the two sets of analyzers the floor benchmarks compare.
func floorRuns() []floorRun {
	return []floorRun{{"floor", []*analysis.Analyzer{floorAnalyzer}}, {"testraces", testraces.Analyzers()}}
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
