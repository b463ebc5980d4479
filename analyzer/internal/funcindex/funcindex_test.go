package funcindex_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/internal/badcode"
)

// indexed type-checks src, a package p in a file p_test.go, and indexes it.
func indexed(t *testing.T, src string) (*funcindex.Index, *types.Info, *ast.File) {
	t.Helper()
	return indexedFile(t, "p_test.go", src)
}

// indexedFile is indexed, for a file of the given name.
func indexedFile(t *testing.T, name, src string) (*funcindex.Index, *types.Info, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := badcode.NewInfo()
	conf := types.Config{Importer: badcode.Importer()}
	pkg, err := conf.Check("p", fset, []*ast.File{file}, info)
	if err != nil {
		t.Fatal(err)
	}
	return funcindex.New(fset, pkg, info, []*ast.File{file}), info, file
}

// callNamed returns the first call in file whose function is written name.
func callNamed(file *ast.File, name string) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && found == nil && types.ExprString(call.Fun) == name {
			found = call
		}
		return found == nil
	})
	return found
}

// varNamed returns the variable or field declared with name in file.
func varNamed(info *types.Info, name string) *types.Var {
	for id, obj := range info.Defs {
		if v, ok := obj.(*types.Var); ok && id.Name == name {
			return v
		}
	}
	return nil
}

func TestLiteralsComeAfterTheirFunctionAndKnowIt(t *testing.T) {
	x, _, _ := indexed(t, `package p
func outer() {
	f := func() { g := func() {}; g() }
	f()
}`)
	funcs := x.Funcs()
	if len(funcs) != 3 {
		t.Fatalf("got %d functions, want 3", len(funcs))
	}
	outer, f, g := funcs[0], funcs[1], funcs[2]
	if f.Outer != outer || g.Outer != f || g.Root() != outer || outer.Outer != nil {
		t.Errorf("Outer/Root wrong: f.Outer=%v g.Outer=%v", f.Outer, g.Outer)
	}
	if !outer.InTest {
		t.Errorf("a function of p_test.go is not InTest")
	}
	if len(outer.Calls) != 1 || len(f.Calls) != 1 || len(g.Calls) != 0 {
		t.Errorf("own calls: outer %d, f %d, g %d; want 1, 1, 0", len(outer.Calls), len(f.Calls), len(g.Calls))
	}
}

func TestGoDeferAndLoopOfACall(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func b() {}
func c() {}
func f() {
	go a()
	defer b()
	for {
		c()
	}
}`)
	if x.GoOf(callNamed(file, "a")) == nil || x.GoOf(callNamed(file, "b")) != nil {
		t.Errorf("GoOf: only a() runs on a new goroutine")
	}
	if !x.IsDeferred(callNamed(file, "b")) || x.IsDeferred(callNamed(file, "a")) {
		t.Errorf("IsDeferred: only b() is deferred")
	}
	if x.LoopOf(callNamed(file, "c")) == nil || x.LoopOf(callNamed(file, "a")) != nil {
		t.Errorf("LoopOf: only c() is in a loop")
	}
	if fn := x.Funcs()[3]; len(fn.Defers) != 1 {
		t.Errorf("f has %d defers, want 1", len(fn.Defers))
	}
}

func TestMethodValueBindsItsReceiverAsOperandZero(t *testing.T) {
	x, _, file := indexed(t, `package p
type S struct{}
func (S) M(a int) {}
func f(s S) {
	m := s.M
	m(1)
	S.M(s, 2)
}`)
	ref, ops, ok := x.Callee(callNamed(file, "m"))
	if !ok || ref.Func == nil || ref.Func.Name() != "M" || len(ops) != 2 || types.ExprString(ops[0]) != "s" {
		t.Fatalf("m(1): ref %v, operands %d, ok %v; want M with s as operand 0", ref, len(ops), ok)
	}
	ref, ops, ok = x.Callee(callNamed(file, "S.M"))
	if !ok || ref.Func.Name() != "M" || len(ops) != 2 || len(x.Params(ref)) != 2 {
		t.Errorf("S.M(s, 2): a method expression takes the receiver as its first operand")
	}
}

func TestFunctionVariableResolves(t *testing.T) {
	x, _, file := indexed(t, `package p
func g() {}
func f() {
	once := g
	once()
	twice := g
	twice = func() {}
	twice()
}`)
	if ref, _, ok := x.Callee(callNamed(file, "once")); !ok || ref.Func == nil || ref.Func.Name() != "g" {
		t.Errorf("once(): want g")
	}
	if ref, _, ok := x.Callee(callNamed(file, "twice")); !ok || ref.Lit == nil {
		t.Errorf("twice(): want the literal, the value that reaches it")
	}
}

func TestGenericInstantiationResolvesToOrigin(t *testing.T) {
	x, _, file := indexed(t, `package p
func g[T any](T) {}
func f() { g[int](1) }`)
	ref, _, ok := x.Callee(callNamed(file, "g[int]"))
	if !ok || ref.Func == nil || ref.Func != ref.Func.Origin() || x.FuncOf(ref.Func) == nil {
		t.Errorf("g[int](1): want g's origin, declared here")
	}
}

func TestConversionsAndBuiltinsHaveNoCallee(t *testing.T) {
	x, _, file := indexed(t, `package p
type F func()
func f(g func()) { _ = F(g); _ = len("") }`)
	for _, name := range []string{"F", "len"} {
		if _, _, ok := x.Callee(callNamed(file, name)); ok {
			t.Errorf("%s(...): want no callee", name)
		}
	}
}

func TestMultiValuedAssignmentNamesItsResult(t *testing.T) {
	x, info, _ := indexed(t, `package p
func two() (func(), func()) { return nil, nil }
func f() {
	a, b := two()
	_, _ = a, b
}`)
	as := x.Assignments(varNamed(info, "b"))
	if len(as) != 1 || as[0].Result != 1 || as[0].In == nil {
		t.Fatalf("b: got %+v, want result 1 of two()", as)
	}
	if x.Def(varNamed(info, "b")) != nil {
		t.Errorf("Def of one result of a call: want nil")
	}
}

func TestCompositeLiteralSetsFieldsKeyedAndPositional(t *testing.T) {
	x, info, _ := indexed(t, `package p
type S struct {
	cb   func()
	next func()
}
func f() {
	_ = S{cb: func() {}}
	_ = S{nil, func() {}}
}`)
	if n := len(x.Assignments(varNamed(info, "cb"))); n != 2 {
		t.Errorf("cb: %d assignments, want 2 (keyed and positional)", n)
	}
	if n := len(x.Assignments(varNamed(info, "next"))); n != 1 {
		t.Errorf("next: %d assignments, want 1", n)
	}
}

func TestDeclarationWithoutValueIsTheZeroValue(t *testing.T) {
	x, info, _ := indexed(t, `package p
func f() {
	var g func()
	g = func() {}
	g()
}`)
	as := x.Assignments(varNamed(info, "g"))
	if len(as) != 2 || as[0].Value != nil || x.AssignedOnce(varNamed(info, "g")) {
		t.Errorf("g: got %+v, want the zero value then the literal", as)
	}
}

func TestRangeAndAddressMakeAVariableOpaque(t *testing.T) {
	x, info, _ := indexed(t, `package p
func set(*func()) {}
func f(fs []func()) {
	for _, r := range fs { r() }
	var a func()
	set(&a)
	c := func() {}
	c()
}`)
	for _, name := range []string{"r", "a"} {
		if !x.Opaque(varNamed(info, name)) {
			t.Errorf("%s: want opaque", name)
		}
	}
	if x.Opaque(varNamed(info, "c")) {
		t.Errorf("c: want not opaque")
	}
}

func TestErrorsAndFloatsAreNotIndexed(t *testing.T) {
	x, info, _ := indexed(t, `package p
func e() error { return nil }
func f() {
	err := e()
	x := 1.5
	n := 1
	s := ":8080"
	_, _, _, _ = err, x, n, s
}`)
	for _, name := range []string{"err", "x"} {
		if len(x.Assignments(varNamed(info, name))) != 0 {
			t.Errorf("%s: want no assignments indexed", name)
		}
	}
	// Strings and integers are: addresses and ports are built from them.
	for _, name := range []string{"n", "s"} {
		if len(x.Assignments(varNamed(info, name))) != 1 {
			t.Errorf("%s: want its assignment indexed", name)
		}
	}
}

func TestLocalStoresIncludeWhatPartsOfAVariableAreGiven(t *testing.T) {
	x, info, file := indexed(t, `package p
type Config struct{ Addrs []string; Inner struct{ Addr string } }
var other Config
func f(addr string) {
	var cfg Config
	cfg.Inner.Addr = addr
	cfg.Addrs[0] = addr
	p := &cfg
	*p = Config{}
	other.Inner.Addr = addr
	_ = cfg
}`)
	stores := x.LocalStores(x.Func(file.Decls[len(file.Decls)-1]))
	var values []string
	for _, a := range stores[varNamed(info, "cfg")] {
		if a.Value == nil {
			values = append(values, "zero")
		} else {
			values = append(values, types.ExprString(a.Value))
		}
	}
	if got, want := strings.Join(values, " "), "zero addr addr"; got != want {
		t.Errorf("cfg: stores %q, want %q (the zero value, a field's and an element's)", got, want)
	}
	if n := len(stores[varNamed(info, "p")]); n != 2 {
		t.Errorf("p: %d stores, want 2 (its declaration and *p = ...)", n)
	}
	if n := len(stores[varNamed(info, "other")]); n != 1 {
		t.Errorf("other, a package variable: %d stores, want 1 (the field's, in f)", n)
	}
}

func TestWalkGivesTheInnermostFunction(t *testing.T) {
	x, _, _ := indexed(t, `package p
var top = func() { go func() {}() }
func f() { defer func() {}() }`)
	got := make(map[token.Pos]*funcindex.Func)
	x.Walk([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node, in *funcindex.Func) {
		got[n.Pos()] = in
	})
	if len(got) != 2 {
		t.Fatalf("visited %d nodes, want 2", len(got))
	}
	for _, in := range got {
		if in == nil || in.Outer != nil {
			t.Errorf("the calls of go and defer: want the outermost function (top's literal or f), got %v", in)
		}
	}
}

func TestWalkYieldsReceivesOfUnaryExpressions(t *testing.T) {
	x, _, _ := indexed(t, `package p
func f(ch chan int, n int) (int, *int, int) { return <-ch, &n, -n }`)
	var got []string
	x.Walk([]ast.Node{(*ast.UnaryExpr)(nil)}, func(n ast.Node, in *funcindex.Func) {
		got = append(got, n.(*ast.UnaryExpr).Op.String())
	})
	if len(got) != 1 || got[0] != "<-" {
		t.Errorf("Walk yielded the unary expressions %v, want only the receive", got)
	}
}

func TestWalkOfAKindNotRecordedPanics(t *testing.T) {
	x, _, _ := indexed(t, "package p\nfunc f() {}")
	defer func() {
		if recover() == nil {
			t.Error("Walk of identifiers, which the index does not record, did not panic")
		}
	}()
	x.Walk([]ast.Node{(*ast.Ident)(nil)}, func(ast.Node, *funcindex.Func) {})
}

func TestReassignedVariableResolvesToTheValueThatReachesTheCall(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func b() {}
func f() {
	g := a
	g()
	g = b
	if true {
		g()
	}
}`)
	var calls []*ast.CallExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && types.ExprString(call.Fun) == "g" {
			calls = append(calls, call)
		}
		return true
	})
	for i, want := range []string{"a", "b"} {
		ref, _, ok := x.Callee(calls[i])
		if !ok || ref.Func == nil || ref.Func.Name() != want {
			t.Errorf("call %d of g: want %s", i+1, want)
		}
	}
}

func TestReassignedVariableInALoopOrLiteralIsNotResolved(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func b() {}
func loop() {
	g := a
	for i := 0; i < 2; i++ {
		g()
		g = b
	}
}
func later() {
	h := a
	defer func() { h() }()
	h = b
}`)
	for _, name := range []string{"g", "h"} {
		if _, _, ok := x.Callee(callNamed(file, name)); ok {
			t.Errorf("%s(): the value that reaches it is not known", name)
		}
	}
}

func TestTargetsOfAFieldAreItsCompositeLiteralValues(t *testing.T) {
	x, _, file := indexed(t, `package p
type tc struct{ check func() }
func a() {}
func f() {
	for _, c := range []tc{{check: a}, {func() {}}} {
		c.check()
	}
}`)
	if got := x.Targets(callNamed(file, "c.check").Fun); len(got) != 2 {
		t.Errorf("c.check(): %d targets, want 2 (a and the literal)", len(got))
	}
}

func TestTargetsOfAClosureAHelperHandsBack(t *testing.T) {
	x, _, file := indexed(t, `package p
func helper() (func(), int) { return func() {}, 1 }
func f() {
	start, _ := helper()
	start()
}`)
	got := x.Targets(callNamed(file, "start").Fun)
	if len(got) != 1 || got[0].Lit == nil {
		t.Errorf("start(): want the literal helper returns, got %v", got)
	}
}

func TestTargetsOfAParameterOrExportedFieldAreUnknown(t *testing.T) {
	x, _, file := indexedFile(t, "p.go", `package p
type Opts struct{ OnDone func() }
func f(g func(), o Opts) {
	o = Opts{OnDone: func() {}}
	g()
	o.OnDone()
}`)
	for _, name := range []string{"g", "o.OnDone"} {
		if got := x.Targets(callNamed(file, name).Fun); got != nil {
			t.Errorf("%s(): want unknown (nil), got %v", name, got)
		}
	}
}

// concreteOf returns the names of the concrete types that the first
// argument of the call written name may hold.
func concreteOf(x *funcindex.Index, file *ast.File, name string) []string {
	var names []string
	for _, t := range x.Concrete(callNamed(file, name).Args[0]) {
		names = append(names, types.TypeString(t, types.RelativeTo(nil)))
	}
	return names
}

func TestConcreteOfAnInterfaceVariableIsEachValueItIsGiven(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
type b struct{}
func (*b) Serve() {}
func use(H) {}
func f(cond bool) {
	var h H = a{}
	if cond {
		h = &b{}
	}
	use(h)
}`)
	if got := concreteOf(x, file, "use"); len(got) != 2 || got[0] != "p.a" || got[1] != "*p.b" {
		t.Errorf("use(h): want [p.a *p.b], got %v", got)
	}
}

func TestConcreteThroughConversionFieldAndHelper(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
type server struct{ h H }
func newH() H { return H(a{}) }
func use(H) {}
func f() {
	s := server{h: newH()}
	use(s.h)
}`)
	if got := concreteOf(x, file, "use"); len(got) != 1 || got[0] != "p.a" {
		t.Errorf("use(s.h): want [p.a], got %v", got)
	}
}

func TestConcreteOfAParameterIsUnknown(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
func use(H) {}
func f(h H) { use(h) }`)
	if got := concreteOf(x, file, "use"); got != nil {
		t.Errorf("use(h) of a parameter: want unknown (nil), got %v", got)
	}
}

func TestMayHoldOfAFieldSetFromAConstructorsParameter(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
type server struct{ h H }
func newServer(h H) *server { return &server{h: h} }
func use(H) {}
func f(s *server) {
	_ = newServer(a{})
	use(s.h)
}`)
	arg := callNamed(file, "use").Args[0]
	if got := x.Concrete(arg); got != nil {
		t.Errorf("Concrete(s.h): want unknown (nil), other packages may call newServer; got %v", got)
	}
	var got []string
	for _, t := range x.MayHold(arg) {
		got = append(got, types.TypeString(t, types.RelativeTo(nil)))
	}
	if len(got) != 1 || got[0] != "p.a" {
		t.Errorf("MayHold(s.h): want [p.a], what the package's call of newServer passes; got %v", got)
	}
}

func TestTargetsOfAnInterfaceMethodAreTheConcreteTypesMethods(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
type b struct{}
func (*b) Serve() {}
func f(cond bool, p H) {
	var h H = a{}
	if cond {
		h = &b{}
	}
	h.Serve()
	p.Serve()
}`)
	var got []string
	for _, t := range x.Targets(callNamed(file, "h.Serve").Fun) {
		got = append(got, t.Func.FullName()+" bound to "+types.ExprString(t.Bound[0]))
	}
	if want := []string{"(p.a).Serve bound to h", "(*p.b).Serve bound to h"}; !slices.Equal(got, want) {
		t.Errorf("h.Serve(): want %v, got %v", want, got)
	}
	// What a parameter holds is not known: the interface's method is
	// what the call runs.
	if got := x.Targets(callNamed(file, "p.Serve").Fun); len(got) != 1 || got[0].Func.FullName() != "(p.H).Serve" {
		t.Errorf("p.Serve(): want the interface's method, got %v", got)
	}
}

func TestTargetsOfATypeAssertionAreWhatTheInterfaceHolds(t *testing.T) {
	x, _, file := indexed(t, `package p
func f() {
	var v any = func() {}
	g := v.(func())
	g()
	if h, ok := v.(func()); ok {
		h()
	}
}`)
	for _, name := range []string{"g", "h"} {
		if got := x.Targets(callNamed(file, name).Fun); len(got) != 1 || got[0].Lit == nil {
			t.Errorf("%s(): want the literal v holds, got %v", name, got)
		}
	}
}

func TestTargetsOfARangedTableAreItsElements(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func f() {
	fs := []func(){a, func() {}}
	fs = append(fs, func() {})
	for _, g := range fs {
		g()
	}
	m := map[string]func(){"a": a}
	m["a"]()
}`)
	if got := x.Targets(callNamed(file, "g").Fun); len(got) != 3 {
		t.Errorf("g(): %d targets, want 3 (a, then two literals)", len(got))
	}
	if got := x.Targets(callNamed(file, `m["a"]`).Fun); len(got) != 1 || got[0].Func == nil {
		t.Errorf(`m["a"](): want a, got %v`, got)
	}
}

func TestTargetsOfATableWrittenByIndexAreUnknown(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func f(h func()) {
	fs := []func(){a}
	fs[0] = h
	for _, g := range fs {
		g()
	}
}`)
	if got := x.Targets(callNamed(file, "g").Fun); got != nil {
		t.Errorf("g() of a table written by index: want unknown (nil), got %v", got)
	}
}

func TestConcreteOfARangedSliceOfInterfaces(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
func use(H) {}
func f() {
	for _, h := range []H{a{}, &a{}} {
		use(h)
	}
}`)
	if got := concreteOf(x, file, "use"); len(got) != 2 {
		t.Errorf("use(h): want [p.a *p.a], got %v", got)
	}
}

func TestTargetsOfAReceiveAreWhatIsSentOnALocalChannel(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func f() {
	ch := make(chan func(), 2)
	ch <- a
	ch <- func() {}
	close(ch)
	g := <-ch
	g()
	h, ok := <-ch
	if ok {
		h()
	}
	for k := range ch {
		k()
	}
}`)
	for _, name := range []string{"g", "h", "k"} {
		if got := x.Targets(callNamed(file, name).Fun); len(got) != 2 {
			t.Errorf("%s(): want a and the literal, got %v", name, got)
		}
	}
}

func TestTargetsOfAChannelHandedOnAreUnknown(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func fill(ch chan func()) { ch <- func() {} }
func f() {
	ch := make(chan func(), 2)
	ch <- a
	fill(ch)
	g := <-ch
	g()
}`)
	if got := x.Targets(callNamed(file, "g").Fun); got != nil {
		t.Errorf("g() from a channel handed to fill: want unknown (nil), got %v", got)
	}
}

func TestConcreteOfATypeSwitchVariableIsWhatWasSwitchedOn(t *testing.T) {
	x, _, file := indexed(t, `package p
type H interface{ Serve() }
type a struct{}
func (a) Serve() {}
func use(H) {}
func f() {
	var v any = a{}
	switch h := v.(type) {
	case H:
		use(h)
	}
}`)
	if got := concreteOf(x, file, "use"); len(got) != 1 || got[0] != "p.a" {
		t.Errorf("use(h) in a type switch's clause: want [p.a], got %v", got)
	}
}

func TestImportedCallsReachThroughVariablesConversionsAndHelpers(t *testing.T) {
	x, _, file := indexed(t, `package p
import (
	"io"
	"strings"
)
func mk() io.Reader { return strings.NewReader("a") }
func use(io.Reader) {}
func f(cond bool) {
	r := mk()
	if cond {
		r = io.Reader(strings.NewReader("b"))
	}
	use(r)
}`)
	got := x.ImportedCalls(callNamed(file, "use").Args[0])
	if len(got) != 2 {
		t.Fatalf("use(r): want the two strings.NewReader calls, got %d", len(got))
	}
	for _, imp := range got {
		arg := types.ExprString(imp.Call.Args[0])
		switch {
		case arg == `"a"` && (imp.Via == nil || types.ExprString(imp.Via.Fun) != "mk"):
			t.Errorf(`strings.NewReader("a") should come through mk(), via %v`, imp.Via)
		case arg == `"b"` && imp.Via != nil:
			t.Errorf(`strings.NewReader("b") is f's own call, want no via`)
		}
	}
}

func TestImportedCallsOfAParameterAreUnknown(t *testing.T) {
	x, _, file := indexed(t, `package p
import "io"
func use(io.Reader) {}
func f(r io.Reader) { use(r) }`)
	if got := x.ImportedCalls(callNamed(file, "use").Args[0]); got != nil {
		t.Errorf("use(r) of a parameter: want unknown (nil), got %v", got)
	}
}

func TestExampleWithoutOutputNeverRuns(t *testing.T) {
	x, _, file := indexed(t, `package p
func ExampleSilent() { println() }
func ExampleChecked() {
	println()
	// Output:
}`)
	silent, checked := file.Decls[0].(*ast.FuncDecl), file.Decls[1].(*ast.FuncDecl)
	if !x.NeverRuns(silent.Body.Pos()) {
		t.Error("an example without an output comment never runs")
	}
	if x.NeverRuns(checked.Body.Pos()) {
		t.Error("an example with an output comment runs")
	}
}

func TestParameterOfALiteralCalledWhereItIsWrittenHoldsItsArgument(t *testing.T) {
	x, _, file := indexed(t, `package p
func a() {}
func f() {
	go func(g func()) { g() }(a)
}`)
	got := x.Targets(callNamed(file, "g").Fun)
	if len(got) != 1 || got[0].Func == nil || got[0].Func.Name() != "a" {
		t.Errorf("g() in go func(g func()) { g() }(a): want [a], got %v", got)
	}
}

func TestCallOfALiteralCalledWhereItIsWritten(t *testing.T) {
	x, _, file := indexed(t, `package p
func f() {
	go func() {}()
	g := func() {}
	g()
	defer func() {}()
}`)
	var lits []*ast.FuncLit
	ast.Inspect(file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			lits = append(lits, lit)
		}
		return true
	})
	if len(lits) != 3 {
		t.Fatalf("found %d literals, want 3", len(lits))
	}
	for i, want := range []bool{true, false, true} {
		call := x.CallOf(lits[i])
		if got := call != nil; got != want {
			t.Errorf("literal %d: called where written = %v, want %v", i, got, want)
		}
		if call != nil && ast.Unparen(call.Fun) != lits[i] {
			t.Errorf("literal %d: CallOf returned a call of something else", i)
		}
	}
}

func TestRunOriginOfAnElementOrAnInterfaceMethodIsTheVariable(t *testing.T) {
	x, info, file := indexed(t, `package p
type J interface{ Do() }
type M interface{ Do(); Undo() }
func f(fns []func(), j J, js []J, m M, g func()) {
	for _, h := range fns {
		h()
	}
	fns[0]()
	j.Do()
	for _, k := range js {
		k.Do()
	}
	m.Do()
	g()
}`)
	for name, want := range map[string]string{"h": "fns", "fns[0]": "fns", "j.Do": "j", "k.Do": "js"} {
		if got := x.RunOrigin(callNamed(file, name).Fun); got != varNamed(info, want) {
			t.Errorf("%s(): want %s, got %v", name, want, got)
		}
	}
	// m's interface has two methods, and g is run itself: neither is
	// derived from a variable.
	for _, name := range []string{"m.Do", "g"} {
		if got := x.RunOrigin(callNamed(file, name).Fun); got != nil {
			t.Errorf("%s(): want nil, got %v", name, got)
		}
	}
}

func TestRunsOfAListOrAnInterfaceValueAreItsFunctionsOrMethods(t *testing.T) {
	x, info, file := indexed(t, `package p
type J interface{ Do() }
type a struct{}
func (a) Do() {}
func runAll([]func()) {}
func runOne(J) {}
func f(p []func()) {
	runAll([]func(){func() {}, func() {}})
	runOne(a{})
	runAll(p)
}`)
	param := func(name string) types.Type { return info.TypeOf(callNamed(file, name).Args[0]) }
	if got := x.RunsOf(callNamed(file, "runAll").Args[0], param("runAll")); len(got) != 2 || got[0].Lit == nil || got[1].Lit == nil {
		t.Errorf("runAll([]func(){...}): want the two literals, got %v", got)
	}
	j := info.Defs[file.Decls[0].(*ast.GenDecl).Specs[0].(*ast.TypeSpec).Name].Type()
	if got := x.RunsOf(callNamed(file, "runOne").Args[0], j); len(got) != 1 || got[0].Func.FullName() != "(p.a).Do" {
		t.Errorf("runOne(a{}): want a's Do, got %v", got)
	}
	// A parameter's elements are not known.
	var last *ast.CallExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && types.ExprString(call.Fun) == "runAll" {
			last = call
		}
		return true
	})
	if got := x.RunsOf(last.Args[0], param("runAll")); got != nil {
		t.Errorf("runAll(p): want nil, got %v", got)
	}
}

func TestMayRunOfAFieldASetterOrAnOptionAlsoSetsIsWhatThePackageGivesIt(t *testing.T) {
	x, _, file := indexed(t, `package p
type Server struct{ H func() }
func (s *Server) SetH(h func()) { s.H = h }
type Option func(*Server)
func WithH(h func()) Option { return func(s *Server) { s.H = h } }
func (s *Server) Serve() { s.H() }
func f(s *Server) {
	s.H = func() {}
	WithH(func() {})(s)
}`)
	fun := callNamed(file, "s.H").Fun
	// A setter's parameter may hold anything: Targets knows nothing.
	if got := x.Targets(fun); got != nil {
		t.Errorf("Targets(s.H): want nil, got %v", got)
	}
	got := x.MayRun(fun)
	if len(got) != 2 || got[0].Lit == nil || got[1].Lit == nil {
		t.Errorf("MayRun(s.H): want the two literals f gives it, got %v", got)
	}
}

func TestTargetsOfAMethodPromotedFromAnEmbeddedInterfaceAreWhatTheFieldHolds(t *testing.T) {
	x, _, file := indexed(t, `package p
type F interface{ Fail() }
type a struct{}
func (a) Fail() {}
type wrap struct{ F }
func f() {
	w := &wrap{a{}}
	w.Fail()
}`)
	got := x.Targets(callNamed(file, "w.Fail").Fun)
	if len(got) != 1 || got[0].Func.FullName() != "(p.a).Fail" || types.ExprString(got[0].Bound[0]) != "w" {
		t.Errorf("w.Fail(): want a's Fail bound to w, got %v", got)
	}
}

func TestElementsOfATableOfRecordsOrStringsAreFoundByAScan(t *testing.T) {
	x, info, _ := indexed(t, `package p
func f() {
	cases := []struct{ addr string }{{":1"}, {":2"}}
	cases = append(cases, struct{ addr string }{":3"})
	for _, tc := range cases {
		_ = tc
	}
	for _, address := range []string{":4", ":5"} {
		_ = address
	}
	written := []string{":6"}
	written[0] = ":7"
	for _, w := range written {
		_ = w
	}
}`)
	count := func(name string) (int, bool) {
		n := 0
		over := x.RangedOver(varNamed(info, name))
		if over == nil {
			return 0, false
		}
		ok := x.Elements(over, func(ast.Expr) bool { n++; return true })
		return n, ok
	}
	if n, ok := count("tc"); !ok || n != 3 {
		t.Errorf("tc ranges over %d known elements (all known: %v), want 3", n, ok)
	}
	if n, ok := count("address"); !ok || n != 2 {
		t.Errorf("address ranges over %d known elements (all known: %v), want 2", n, ok)
	}
	if _, ok := count("w"); ok {
		t.Error("w ranges over a table written by index: want its elements unknown")
	}
}

func TestTargetsOfAFieldOfAGenericTypeAreWhatEveryInstanceIsGiven(t *testing.T) {
	x, _, file := indexed(t, `package p
type box[T any] struct{ f func(T) }
func (b box[T]) run(v T) { b.f(v) }
func g(int) {}
func f() {
	b := box[int]{f: g}
	b.run(1)
	var s box[string]
	s.f = func(string) {}
}`)
	if got := x.Targets(callNamed(file, "b.f").Fun); len(got) != 2 {
		t.Errorf("b.f(v) in box[T].run: %d targets, want 2 (g, given to a box[int], and the literal, to a box[string])", len(got))
	}
}
