// Package funcindex indexes a package's functions once, for every testraces
// analyzer: each function (declarations and literals) with its own calls,
// defer, go and return statements; the function a node is in; what a call
// or a function value runs, with one numbering of its operands; and what
// each variable and field is assigned.
//
// The Index is complete when the pass returns and only read from then on:
// the analyzers of a package run concurrently and share it. It keeps no
// pass, as x/tools' ctrlflow keeps none.
//
// It walks the syntax with ast.Inspect rather than x/tools' inspector: a
// driver loads every dependency from source, and an inspector's event
// list for each of them cost a third more memory than the whole analysis
// did (BenchmarkFloor). The standard library's packages that do not
// import testing are not indexed: nothing in them concerns a test, and
// knowledge holds what the analyzers need of them.
package funcindex

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"reflect"
	"slices"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"golang.org/x/tools/go/analysis"
)

// Analyzer builds the Index. Analyzers that need it require it and read
// its *Index.
var Analyzer = &analysis.Analyzer{
	Name:       "testracesindex",
	Doc:        "index a package's functions, calls and assignments (used by every testraces analyzer)",
	URL:        "https://github.com/testraces/testraces",
	Run:        run,
	ResultType: reflect.TypeFor[*Index](),
}

// Index is what funcindex knows of one package.
type Index struct {
	fset     *token.FileSet
	pkg      *types.Package
	info     *types.Info
	files    []*ast.File
	funcs    []*Func                       // declarations with bodies and literals, in source order
	byNode   map[ast.Node]*Func            // by declaration or literal, and by body
	decls    map[*types.Func]*ast.FuncDecl // every declaration, with a body or not
	byObj    map[*types.Func]*Func
	goOf     map[*ast.CallExpr]*ast.GoStmt
	deferred map[*ast.CallExpr]bool
	loopOf   map[*ast.CallExpr]ast.Node
	assigns  map[*types.Var][]Assignment
	opaque   map[*types.Var]bool
	// ranged maps the value variable of a for-range statement that
	// declares it (for _, f := range fs) to what it ranges over, unless
	// its address is taken.
	ranged map[*types.Var]ast.Expr
	// elemWritten holds the slices and maps whose elements are assigned
	// (fs[i] = f, m[k] = f): what they hold is not only what elements
	// shows.
	elemWritten map[*types.Var]bool
	// sent maps a channel variable of functions or interfaces to the
	// values sent on it (ch <- f).
	sent map[*types.Var][]ast.Expr
	// switched maps the variable a type switch declares, in each of its
	// clauses, to the value switched on (switch h := v.(type)).
	switched map[*types.Var]ast.Expr
	// bound maps each parameter of a literal called where it is written
	// (go func(f func()) { ... }(g), defer and plain calls alike) to the
	// argument the call passes it.
	bound map[*types.Var]ast.Expr
	// calledAt maps a literal called where it is written to that call.
	calledAt map[*ast.FuncLit]*ast.CallExpr
	// neverRun holds the functions of the test files that go test never
	// runs (see NeverRuns).
	neverRun []*ast.FuncDecl
	// walked lists, in source order, the nodes Walk yields, in chunks
	// of walkedChunk: one list would be copied over and over as it grows.
	walked [][]walked
}

// A Func is one function of the package, a declaration or a literal.
type Func struct {
	Node   ast.Node // *ast.FuncDecl or *ast.FuncLit
	Body   *ast.BlockStmt
	Obj    *types.Func // for a declaration
	Params []*types.Var
	// Outer is the function a literal is in: nil for a declaration and
	// for a literal of a package-level initializer.
	Outer *Func
	// InTest: declared in a _test.go file.
	InTest bool
	// The function's own statements and calls, in source order: not
	// those of the literals in it, which run when (and where) the literal
	// is called.
	Calls   []*ast.CallExpr
	Defers  []*ast.DeferStmt
	Returns []*ast.ReturnStmt
}

// Root returns the outermost function f is in, or f: a declaration, or a
// literal of a package-level initializer.
func (f *Func) Root() *Func {
	for f.Outer != nil {
		f = f.Outer
	}
	return f
}

// Ref names f's code.
func (f *Func) Ref() Ref {
	if lit, ok := f.Node.(*ast.FuncLit); ok {
		return Ref{Lit: lit}
	}
	return Ref{Func: f.Obj}
}

func run(pass *analysis.Pass) (any, error) {
	if knowledge.KnownWithoutCode(pass.Pkg) {
		return New(pass.Fset, pass.Pkg, pass.TypesInfo, nil), nil
	}
	return New(pass.Fset, pass.Pkg, pass.TypesInfo, codeToRead(pass)), nil
}

// codeToRead returns the files of the package whose code is read. In a
// standard library package compiled with its tests, only the test files
// are: the package's own code is known from the tables, as it is where
// the package is compiled without them (knowledge.KnownWithoutCode), and
// reading it again for every test variant is most of what the analysis
// would cost there. A package of test helpers (internal/testenv,
// testing/synctest) has no test files there: all of it is read.
func codeToRead(pass *analysis.Pass) []*ast.File {
	if !knowledge.IsStd(pass.Pkg.Path()) {
		return pass.Files
	}
	var tests []*ast.File
	for _, f := range pass.Files {
		if isTestFile(pass.Fset, f) {
			tests = append(tests, f)
		}
	}
	if len(tests) == 0 {
		return pass.Files
	}
	return tests
}

// New indexes pkg, whose syntax files holds.
func New(fset *token.FileSet, pkg *types.Package, info *types.Info, files []*ast.File) *Index {
	x := newIndex(fset, pkg, info, files)
	b := builder{x: x, fset: fset, testShaped: testShaped(fset, info, files), record: true}
	for name := range b.testShaped {
		b.shapedLens |= lenBit(name)
	}
	for _, file := range files {
		inspect(file, b.visit)
	}
	for _, decl := range b.testShaped {
		if decl != nil {
			x.neverRun = append(x.neverRun, decl)
		}
	}
	x.neverRun = append(x.neverRun, examplesWithoutOutput(fset, files)...)
	return x
}

// isTestFile reports whether file is a _test.go file.
func isTestFile(fset *token.FileSet, file *ast.File) bool {
	return strings.HasSuffix(fset.File(file.FileStart).Name(), "_test.go")
}

// testFuncs yields the functions (not methods) with bodies that the
// package's test files declare, each with its file.
func testFuncs(fset *token.FileSet, files []*ast.File) iter.Seq2[*ast.File, *ast.FuncDecl] {
	return func(yield func(*ast.File, *ast.FuncDecl) bool) {
		for _, file := range files {
			if !isTestFile(fset, file) {
				continue
			}
			for _, d := range file.Decls {
				if decl, ok := d.(*ast.FuncDecl); ok && decl.Recv == nil && decl.Body != nil && !yield(file, decl) {
					return
				}
			}
		}
	}
}

// examplesWithoutOutput returns the examples of the package's test files
// without an output comment: go test compiles them and never runs them.
func examplesWithoutOutput(fset *token.FileSet, files []*ast.File) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for file, decl := range testFuncs(fset, files) {
		if strings.HasPrefix(decl.Name.Name, "Example") && !hasOutputComment(file, decl) {
			out = append(out, decl)
		}
	}
	return out
}

// hasOutputComment reports whether decl's body has an "Output:" or
// "Unordered output:" comment.
func hasOutputComment(file *ast.File, decl *ast.FuncDecl) bool {
	for _, cg := range file.Comments {
		if cg.Pos() < decl.Body.Lbrace || cg.End() > decl.Body.Rbrace {
			continue
		}
		text := strings.ToLower(strings.TrimSpace(cg.Text()))
		if strings.HasPrefix(text, "output:") || strings.HasPrefix(text, "unordered output:") {
			return true
		}
	}
	return false
}

// testShaped returns, by name, the functions of the package's test files
// shaped like a test (one *testing.T, *testing.B or *testing.F parameter,
// no results) that the go tool does not run: no Test, Benchmark, Fuzz or
// Example prefix. Those that nothing refers to are disabled tests.
func testShaped(fset *token.FileSet, info *types.Info, files []*ast.File) map[string]*ast.FuncDecl {
	var shaped map[string]*ast.FuncDecl
	for _, decl := range testFuncs(fset, files) {
		if runByTheGoTool(decl.Name.Name) {
			continue
		}
		obj, _ := info.Defs[decl.Name].(*types.Func)
		if obj == nil || !takesOnlyATestingValue(obj.Signature()) {
			continue
		}
		if shaped == nil {
			shaped = make(map[string]*ast.FuncDecl)
		}
		shaped[decl.Name.Name] = decl
	}
	return shaped
}

// runByTheGoTool reports whether the go tool may run a function of that
// name in a test binary, given the right signature.
func runByTheGoTool(name string) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// takesOnlyATestingValue reports whether sig is func(*testing.T), or of B
// or F, without results.
func takesOnlyATestingValue(sig *types.Signature) bool {
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	ptr, ok := sig.Params().At(0).Type().(*types.Pointer)
	if !ok {
		return false
	}
	for _, name := range []string{"T", "B", "F"} {
		if knowledge.IsType(ptr.Elem(), "testing", name) {
			return true
		}
	}
	return false
}

// NeverRuns reports whether pos is in a function of a test file that go
// test never runs: an example without an output comment, or a disabled
// test, shaped like a test but without the name the go tool runs and
// referred to by nothing in the package (func DisabledTest(t
// *testing.T)). Nothing in its code is a finding.
func (x *Index) NeverRuns(pos token.Pos) bool {
	for _, decl := range x.neverRun {
		if decl.Pos() <= pos && pos < decl.End() {
			return true
		}
	}
	return false
}

// SkipNeverRun returns report, dropping the diagnostics in code that go
// test never runs.
func (x *Index) SkipNeverRun(report func(analysis.Diagnostic)) func(analysis.Diagnostic) {
	if len(x.neverRun) == 0 {
		return report
	}
	return func(d analysis.Diagnostic) {
		if !x.NeverRuns(d.Pos) {
			report(d)
		}
	}
}

// newIndex returns an empty index of pkg.
func newIndex(fset *token.FileSet, pkg *types.Package, info *types.Info, files []*ast.File) *Index {
	return &Index{
		fset:     fset,
		pkg:      pkg,
		info:     info,
		files:    files,
		byNode:   make(map[ast.Node]*Func),
		decls:    make(map[*types.Func]*ast.FuncDecl),
		byObj:    make(map[*types.Func]*Func),
		goOf:     make(map[*ast.CallExpr]*ast.GoStmt),
		deferred: make(map[*ast.CallExpr]bool),
		loopOf:   make(map[*ast.CallExpr]ast.Node),
		assigns:  make(map[*types.Var][]Assignment),
		opaque:   make(map[*types.Var]bool),
		ranged:   make(map[*types.Var]ast.Expr),

		elemWritten: make(map[*types.Var]bool),
		sent:        make(map[*types.Var][]ast.Expr),
		switched:    make(map[*types.Var]ast.Expr),
		bound:       make(map[*types.Var]ast.Expr),
		calledAt:    make(map[*ast.FuncLit]*ast.CallExpr),
	}
}

// inspect calls f for each node under root, before its children (push)
// and after them; f's false on push skips the children.
func inspect(root ast.Node, f func(n ast.Node, push bool) bool) {
	ast.Walk(&inspector{f: f}, root)
}

// inspector is the ast.Visitor of inspect: one, with a stack, rather than
// ast.Inspect's closure around a closure for every node.
type inspector struct {
	f     func(n ast.Node, push bool) bool
	stack []ast.Node
}

func (v *inspector) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		top := v.stack[len(v.stack)-1]
		v.stack = v.stack[:len(v.stack)-1]
		v.f(top, false)
		return nil
	}
	if !v.f(n, true) {
		return nil
	}
	v.stack = append(v.stack, n)
	return v
}

// lenBit returns a bit for the length of name: one of 63 for the lengths
// up to 62, the last for every longer one.
func lenBit(name string) uint64 { return 1 << min(len(name), 63) }

// builder holds the position of New's walk.
type builder struct {
	x      *Index
	fset   *token.FileSet
	inTest bool
	// scalar: the variable of a basic type whose assignments a scan
	// collects (see scan); nil while indexing.
	scalar *types.Var
	// stores: what the variables of a declaration or their parts are
	// given, when a scan collects them (see LocalStores).
	stores map[*types.Var][]Assignment
	funcs  []*Func      // the functions enclosing the position
	loops  [][]ast.Node // for each, the loops enclosing the position within it
	// testShaped: the candidates for disabled tests, by name; the walk
	// clears those it finds referred to.
	testShaped map[string]*ast.FuncDecl
	// shapedLens has the bit of the length of each of their names
	// (lenBit): most identifiers are of none, and need not be hashed.
	shapedLens uint64
	// record: the walk is the index's own, whose nodes Walk yields and
	// literal calls CallOf answers, not a scan's.
	record bool
}

func (b *builder) in() *Func {
	if len(b.funcs) == 0 {
		return nil
	}
	return b.funcs[len(b.funcs)-1]
}

func (b *builder) visit(n ast.Node, push bool) bool {
	if !push {
		b.leave(n)
		return true
	}
	x, info, fn := b.x, b.x.info, b.in()
	if b.record && walkedKind(n) {
		if u, ok := n.(*ast.UnaryExpr); !ok || u.Op == token.ARROW {
			x.record(walked{n, fn})
		}
	}
	switch n := n.(type) {
	case *ast.File:
		b.inTest = isTestFile(b.fset, n)
	case *ast.FuncDecl:
		obj, _ := info.Defs[n.Name].(*types.Func)
		if obj != nil {
			x.decls[obj] = n
		}
		if n.Body == nil || obj == nil {
			return false
		}
		f := &Func{Node: n, Body: n.Body, Obj: obj, Params: signatureParams(obj.Signature()), InTest: b.inTest}
		x.byObj[obj] = f
		b.enter(f)
	case *ast.FuncLit:
		var params []*types.Var
		if sig, ok := info.TypeOf(n).(*types.Signature); ok {
			params = signatureParams(sig)
		}
		b.enter(&Func{Node: n, Body: n.Body, Params: params, Outer: fn, InTest: b.inTest})
	case *ast.CallExpr:
		if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
			if b.record {
				x.calledAt[lit] = n
			}
			if !n.Ellipsis.IsValid() {
				b.bindArgs(lit, n.Args)
			}
		}
		if fn != nil {
			fn.Calls = append(fn.Calls, n)
			if loops := b.loops[len(b.loops)-1]; len(loops) > 0 {
				x.loopOf[n] = loops[len(loops)-1]
			}
		}
	case *ast.GoStmt:
		x.goOf[n.Call] = n
	case *ast.DeferStmt:
		x.deferred[n.Call] = true
		if fn != nil {
			fn.Defers = append(fn.Defers, n)
		}
	case *ast.ReturnStmt:
		if fn != nil {
			fn.Returns = append(fn.Returns, n)
		}
	case *ast.ForStmt, *ast.RangeStmt:
		if len(b.loops) > 0 {
			b.loops[len(b.loops)-1] = append(b.loops[len(b.loops)-1], n)
		}
		if r, ok := n.(*ast.RangeStmt); ok {
			b.markOpaque(r.Key, r.Tok == token.DEFINE)
			b.markOpaque(r.Value, r.Tok == token.DEFINE)
			elem := r.Value
			if t := info.TypeOf(r.X); t != nil {
				if _, isChan := t.Underlying().(*types.Chan); isChan {
					elem = r.Key // for f := range ch
				}
			}
			if id, ok := elem.(*ast.Ident); ok && r.Tok == token.DEFINE {
				if v, ok := b.x.info.Defs[id].(*types.Var); ok {
					b.x.ranged[v] = r.X // of any type: one a range statement
				}
			}
		}
	case *ast.AssignStmt:
		b.assignStmt(n, fn)
	case *ast.ValueSpec:
		b.valueSpec(n, fn)
	case *ast.IncDecStmt:
		b.markOpaque(n.X, false)
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			b.markOpaque(n.X, false)
			if v := b.lhsVar(n.X, false); v != nil {
				delete(b.x.ranged, v)
			}
		}
	case *ast.CompositeLit:
		b.compositeFields(n, fn)
	case *ast.SendStmt:
		b.send(n)
	case *ast.TypeSwitchStmt:
		b.typeSwitch(n)
	case *ast.Ident:
		if b.shapedLens&lenBit(n.Name) == 0 {
			break // the common case: no string hashed per identifier
		}
		if decl := b.testShaped[n.Name]; decl != nil && n != decl.Name && info.Uses[n] != nil && info.Uses[n] == info.Defs[decl.Name] {
			b.testShaped[n.Name] = nil // referred to: run by someone
		}
	}
	return true
}

// bindArgs records what lit's parameters are given by the call that
// passes it args, where lit is written; a variadic parameter is not.
func (b *builder) bindArgs(lit *ast.FuncLit, args []ast.Expr) {
	i := 0
	for _, field := range lit.Type.Params.List {
		if _, variadic := field.Type.(*ast.Ellipsis); variadic {
			return
		}
		for _, name := range field.Names {
			if v, ok := b.x.info.Defs[name].(*types.Var); ok && i < len(args) && indexed(v.Type()) {
				b.x.bound[v] = args[i]
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
}

func (b *builder) enter(f *Func) {
	b.x.funcs = append(b.x.funcs, f)
	b.x.byNode[f.Node] = f
	b.x.byNode[f.Body] = f
	b.funcs = append(b.funcs, f)
	b.loops = append(b.loops, nil)
}

func (b *builder) leave(n ast.Node) {
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		if len(b.loops) > 0 {
			loops := b.loops[len(b.loops)-1]
			if len(loops) > 0 && loops[len(loops)-1] == n {
				b.loops[len(b.loops)-1] = loops[:len(loops)-1]
			}
		}
	case *ast.FuncDecl, *ast.FuncLit:
		if f := b.in(); f != nil && f.Node == n {
			b.funcs, b.loops = b.funcs[:len(b.funcs)-1], b.loops[:len(b.loops)-1]
		}
	}
}

// Files returns the files whose code the index reads: the package's, or
// only its test files in a standard library package compiled with its
// tests (see codeToRead).
func (x *Index) Files() []*ast.File { return x.files }

// Funcs returns the package's functions with bodies, declarations and
// literals, in source order: a literal comes after the function it is in.
func (x *Index) Funcs() []*Func { return x.funcs }

// Func returns the function that node, an *ast.FuncDecl or *ast.FuncLit
// of the package or its body, is; nil if none.
func (x *Index) Func(node ast.Node) *Func { return x.byNode[node] }

// Calls returns the calls that body, a function's body, itself makes, in
// source order; nil for a body outside the package.
func (x *Index) Calls(body *ast.BlockStmt) []*ast.CallExpr {
	if f := x.byNode[body]; f != nil {
		return f.Calls
	}
	return nil
}

// Defers returns the defer statements of body itself, in source order.
func (x *Index) Defers(body *ast.BlockStmt) []*ast.DeferStmt {
	if f := x.byNode[body]; f != nil {
		return f.Defers
	}
	return nil
}

// FuncOf returns the package's declaration of fn (or of its generic
// origin) with its body; nil if none.
func (x *Index) FuncOf(fn *types.Func) *Func {
	if fn == nil {
		return nil
	}
	return x.byObj[fn.Origin()]
}

// Decl returns the declaration of fn in this package, body or not; nil if
// fn is declared elsewhere.
func (x *Index) Decl(fn *types.Func) *ast.FuncDecl {
	if fn == nil {
		return nil
	}
	return x.decls[fn.Origin()]
}

// GoOf returns the go statement whose call call is; nil if none: call
// runs on a new goroutine.
func (x *Index) GoOf(call *ast.CallExpr) *ast.GoStmt { return x.goOf[call] }

// CallOf returns the call that runs lit where it is written (func() {
// ... }(), and so go func() { ... }() and defer func() { ... }()); nil
// if lit is only a value.
func (x *Index) CallOf(lit *ast.FuncLit) *ast.CallExpr { return x.calledAt[lit] }

// IsDeferred reports whether call is the call of a defer statement: it
// runs when its function returns.
func (x *Index) IsDeferred(call *ast.CallExpr) bool { return x.deferred[call] }

// LoopOf returns the innermost loop of its function that call is in; nil
// if none.
func (x *Index) LoopOf(call *ast.CallExpr) ast.Node { return x.loopOf[call] }

// Walk calls f for each node of the given types in the package's syntax,
// in source order, with the innermost function of the index it is in (nil
// at package level). It reads the list that the index's one walk of the
// syntax recorded: the types must be kinds walkedKind accepts, and of
// unary expressions only receives (<-ch) are recorded.
func (x *Index) Walk(types []ast.Node, f func(n ast.Node, in *Func)) {
	// A short list compared by type identity costs less per node than
	// a map lookup, which hashes.
	want := make([]reflect.Type, len(types))
	for i, t := range types {
		if !walkedKind(t) {
			panic(fmt.Sprintf("funcindex: Walk of %T, which the index does not record", t))
		}
		want[i] = reflect.TypeOf(t)
	}
	for _, chunk := range x.walked {
		for _, w := range chunk {
			if slices.Contains(want, reflect.TypeOf(w.n)) {
				f(w.n, w.in)
			}
		}
	}
}

// walkedChunk is how many nodes each chunk of the walk list holds.
const walkedChunk = 1024

// record appends w to the walk list.
func (x *Index) record(w walked) {
	if n := len(x.walked); n == 0 || len(x.walked[n-1]) == walkedChunk {
		x.walked = append(x.walked, make([]walked, 0, walkedChunk))
	}
	last := &x.walked[len(x.walked)-1]
	*last = append(*last, w)
}

// walked is a node that Walk yields, with its innermost function.
type walked struct {
	n  ast.Node
	in *Func
}

// walkedKind reports whether the index records nodes of n's kind for
// Walk: those through which the summaries see values flow and channels
// used. (Walking the syntax a second time for them cost more than the
// list.)
func walkedKind(n ast.Node) bool {
	switch n.(type) {
	case *ast.AssignStmt, *ast.CallExpr, *ast.CompositeLit, *ast.RangeStmt, *ast.SelectStmt,
		*ast.SendStmt, *ast.TypeSwitchStmt, *ast.UnaryExpr, *ast.ValueSpec:
		return true
	}
	return false
}

// signatureParams lists the receiver, if any, then the parameters of sig:
// the operands of a call, as Callee numbers them.
func signatureParams(sig *types.Signature) []*types.Var {
	var params []*types.Var
	if sig.Recv() != nil {
		params = append(params, sig.Recv())
	}
	for p := range sig.Params().Variables() {
		params = append(params, p)
	}
	return params
}
