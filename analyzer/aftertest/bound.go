package aftertest

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// How a use reaches the test: through the testing value itself, or
// through a logger or reporter bound to it.
const (
	reachLog  = knowledge.ReportsLog  // t.Log, t.Output, a test logger
	reachFail = knowledge.ReportsFail // t.Error, t.Fail, gomock's controller
)

// A source is where a value that reaches a test comes from: the variable
// holding the testing value (or, for a parameter of a logger type, the
// logger), and, for a logger bound to it, the call that bound it.
type source struct {
	v      *types.Var
	origin ast.Expr // the call or literal that bound a logger; nil for the testing value itself
	kind   int      // for a bound logger: how using it reaches the test
}

// sourceOf returns what e, a value a goroutine uses, is bound to: a
// testing value, a logger a library built from one (zaptest.NewLogger(t),
// slog.New(slog.NewTextHandler(t.Output(), nil))), a value derived from
// such a logger (logger.With(...), a gomock mock built on a controller),
// or a logger parameter; ok is false for anything else.
func (c *checker) sourceOf(e ast.Expr, depth int) (source, bool) {
	if e == nil || depth > 8 {
		return source{}, false
	}
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if testmodel.IsTestingType(testmodel.TypeOf(info, e)) {
		v := testmodel.RootVar(info, e)
		if v == nil {
			return source{}, false
		}
		if v.Kind() == types.LocalVar && !testmodel.IsTestingType(v.Type()) {
			// h.t with h := &harness{t: t}: the testing value h was built
			// with, which the local h itself is not.
			if s, ok := c.varSource(v, depth+1); ok && s.v != nil && testmodel.IsTestingType(s.v.Type()) {
				return source{v: s.v}, true
			}
		}
		return source{v: v}, true
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return source{}, false
		}
		return c.varSource(v, depth)
	case *ast.UnaryExpr:
		return c.sourceOf(e.X, depth+1)
	case *ast.StarExpr:
		return c.sourceOf(e.X, depth+1)
	case *ast.CallExpr:
		return c.callSource(e, depth)
	case *ast.CompositeLit:
		// An adapter holding the testing value (testWriter{t}), an
		// options struct holding a bound writer (Output: t.Output()).
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if s, ok := c.sourceOf(elt, depth+1); ok {
				return c.asLogger(s, e), true
			}
		}
	case *ast.SelectorExpr:
		if s, ok := c.methodValueSource(e, depth); ok {
			return s, true // w := &worker{logf: t.Logf}
		}
		// o.Output, a writer an operand holds, or s.logger, a logger of
		// its own holding one: bound or not as the callers built it.
		if p := c.fieldOfParam(e); p != nil && (isWriter(info.TypeOf(e)) || holdsWriter(info.TypeOf(e))) {
			return source{v: p, kind: reachLog}, true
		}
	case *ast.FuncLit:
		// A function a logger writes with (funcr.New(func(p, a string) {
		// t.Log(p, a) })).
		if s, ok := c.literalReports(e); ok {
			return s, true
		}
	}
	return source{}, false
}

// asLogger returns s as the source of a logger that origin binds to it:
// using the logger writes to s's test.
func (c *checker) asLogger(s source, origin ast.Expr) source {
	if s.origin == nil {
		s.origin, s.kind = origin, reachLog
	}
	return s
}

// varSource is sourceOf for a variable: the value it holds for its whole
// life, or, for a logger parameter, the parameter itself.
func (c *checker) varSource(v *types.Var, depth int) (source, bool) {
	if testmodel.IsTestingType(v.Type()) {
		return source{v: v}, true
	}
	if v.IsField() || testmodel.IsPackageLevel(v) {
		return source{}, false
	}
	as := c.idx.Assignments(v)
	if len(as) == 0 {
		param := v.Kind() == types.ParamVar || v.Kind() == types.RecvVar
		switch {
		case v.Kind() == types.ParamVar && (knowledge.IsLoggerType(v.Type()) || isLogf(v.Type()) || isWriter(v.Type())):
			return source{v: v, kind: reachLog}, true
		case param && holdsLogger(v.Type()):
			// A server built with a logger: bound or not as its callers
			// built it; its facts say what its goroutines do with it.
			return source{v: v}, true
		}
		return source{}, false
	}
	// Every value it is given must be bound for the variable to be: one
	// bound value among others is a guess.
	var first source
	for i, a := range as {
		if a.Value == nil {
			return source{}, false
		}
		s, ok := c.sourceOf(a.Value, depth+1)
		if !ok {
			return source{}, false
		}
		if i == 0 {
			first = s
		}
	}
	return first, true
}

// callSource is sourceOf for a call.
func (c *checker) callSource(call *ast.CallExpr, depth int) (source, bool) {
	info := c.pass.TypesInfo
	// writerFunc(func(p []byte) (int, error) { t.Log(...) }): a
	// function converted to a type whose Write calls it.
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 && hasWrite(tv.Type) {
		return c.sourceOf(call.Args[0], depth+1)
	}
	if recv, fn, ok := testmodel.TestingMethod(info, call); ok {
		if fn.Name() == "Output" {
			if s, ok := c.sourceOf(recv, depth+1); ok {
				return source{v: s.v, origin: call, kind: reachLog}, true
			}
		}
		return source{}, false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return source{}, false
	}
	if kind, ok := knowledge.TestBound(fn); ok && len(call.Args) > 0 {
		if s, ok := c.sourceOf(call.Args[0], depth+1); ok && s.origin == nil {
			return source{v: s.v, origin: call, kind: kind}, true
		}
		return source{}, false
	}
	if knowledge.WrapsLogger(fn) {
		for _, arg := range call.Args {
			if s, ok := c.sourceOf(arg, depth+1); ok {
				// The logger the test uses is the one this call builds.
				s.origin, s.kind = call, max(s.kind, reachLog)
				return s, true
			}
		}
		return source{}, false
	}
	if knowledge.IsMockConstructor(fn) && len(call.Args) > 0 {
		if s, ok := c.sourceOf(call.Args[0], depth+1); ok && s.origin != nil {
			return s, true
		}
		return source{}, false
	}
	sig := fn.Signature()
	if sig.Results().Len() >= 1 && knowledge.IsLoggerType(sig.Results().At(0).Type()) && knowledge.InLoggerPackage(fn) {
		// logger.With(...), logger.Sugar(), klog.FromContext(ctx):
		// derives a logger from its receiver or first argument.
		var from ast.Expr
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sig.Recv() != nil {
			from = sel.X
		} else if len(call.Args) > 0 {
			from = call.Args[0]
		}
		if s, ok := c.sourceOf(from, depth+1); ok && s.origin != nil {
			return s, true
		}
	}
	// A function of the package, or one with a fact, that returns what
	// it binds to its operand.
	ref, operands, ok := c.idx.Callee(call)
	if !ok || ref.Func == nil {
		return source{}, false
	}
	f := c.factOf(ref.Func)
	if f == nil || f.Binds == 0 {
		return source{}, false
	}
	for i, op := range operands {
		if f.Binds.Has(i) {
			if s, ok := c.sourceOf(op, depth+1); ok {
				if s.origin == nil {
					s.origin, s.kind = call, max(f.BindKind, reachLog)
				}
				return s, true
			}
		}
	}
	return source{}, false
}

// literalReports returns the testing value that lit, a function literal,
// logs or reports on, when that value comes from outside lit.
func (c *checker) literalReports(lit *ast.FuncLit) (source, bool) {
	f := c.idx.Func(lit)
	if f == nil {
		return source{}, false
	}
	for _, call := range f.Calls {
		if u, ok := c.useOf(call); ok && !declaredIn(u.src.v, lit) {
			s := u.src
			if s.origin == nil {
				s.origin, s.kind = lit, u.kind
			}
			return s, true
		}
	}
	return source{}, false
}

// declaredIn reports whether v is declared inside lit (its parameters are
// not: they are bound by the caller).
func declaredIn(v *types.Var, lit *ast.FuncLit) bool {
	if v == nil || v.Pos() < lit.Body.Pos() || v.Pos() >= lit.End() {
		return false
	}
	return true
}

// A use is a call that writes to, or fails, a test.
type use struct {
	call *ast.CallExpr
	// What is called, for the message: recv.name ("t.Errorf",
	// "logger.Info"), or the callee's name when recv is nil; built only
	// when a diagnostic needs it.
	recv ast.Expr
	name string
	src  source
	kind int // reachLog or reachFail
}

// logMethods and failMethods are the testing methods that write to or
// fail a test; Skip logs its arguments, and SkipNow only ends the
// goroutine (failnow's business).
var (
	logMethods  = []string{"Log", "Logf", "Skip", "Skipf"}
	failMethods = []string{"Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow"}
)

// methodReach returns how calling the testing method of that name reaches
// the test: reachLog, reachFail, or 0 for a method that does neither.
func methodReach(name string) int {
	switch {
	case slices.Contains(logMethods, name):
		return reachLog
	case slices.Contains(failMethods, name):
		return reachFail
	}
	return 0
}

// fieldOfParam returns the parameter (or receiver) that e, a field
// selection, is a field of: s for s.logger, s.cfg.Logger.
func (c *checker) fieldOfParam(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if sn := c.pass.TypesInfo.Selections[sel]; sn == nil || sn.Kind() != types.FieldVal {
		return nil
	}
	v := testmodel.RootVar(c.pass.TypesInfo, sel.X)
	if v == nil || v.Kind() != types.ParamVar && v.Kind() != types.RecvVar {
		return nil
	}
	return v
}

// hasWrite reports whether t has a Write method: it may be a writer
// adapter.
func hasWrite(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write")
	_, ok := obj.(*types.Func)
	return ok
}

// isWrite reports whether fn is a writer's Write or WriteString.
func isWrite(fn *types.Func) bool {
	return fn.Name() == "Write" || fn.Name() == "WriteString"
}

// what names what u calls, for a message.
func (u use) what() string {
	if u.recv == nil {
		return analysisutil.CalleeName(u.call)
	}
	return types.ExprString(u.recv) + "." + u.name
}

// methodValueUse returns the use call makes when what it calls may be a
// testing value's method taken as a value: logf := t.Logf; logf(...), or
// a field given t.Logf (w := worker{logf: t.Logf}; w.logf(...)), the
// logger of many a project. Only a call through a function value shaped
// like a testing method (variadic, no results) is followed.
func (c *checker) methodValueUse(call *ast.CallExpr) (use, bool) {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.FieldVal {
			return use{}, false // a method called, or a package's function
		}
	}
	sig, ok := testmodel.TypeOf(c.pass.TypesInfo, ast.Unparen(call.Fun)).(*types.Signature)
	if !ok || !sig.Variadic() || sig.Results().Len() != 0 {
		return use{}, false
	}
	targets := c.idx.TargetsVia(call.Fun)
	if v := c.logfParam(call.Fun); v != nil && targets == nil {
		// logf(...) in a helper given logf: its callers may give t.Logf
		// (startWorker(t.Logf)).
		return use{call: call, src: source{v: v, kind: reachLog}, kind: reachLog}, true
	}
	p := c.fieldOfParam(call.Fun)
	if p != nil && targets == nil && isLogf(sig) {
		// c.logf(...) with a field given what its constructor was given
		// (newConn(logf) keeps &conn{logf: logf}): the callers may have
		// given t.Logf.
		return use{call: call, src: source{v: p}, kind: reachLog}, true
	}
	for _, t := range targets {
		if t.Func == nil || len(t.Bound) != 1 || !testmodel.IsTestingType(c.pass.TypesInfo.TypeOf(t.Bound[0])) {
			continue
		}
		kind := methodReach(t.Func.Name())
		if kind == 0 {
			continue
		}
		if p != nil {
			// w.logf(...) in a method or helper: the field of an operand,
			// which its callers may have given a testing method.
			return use{call: call, src: source{v: p}, kind: reachLog}, true
		}
		if s, ok := c.sourceOf(t.Bound[0], 0); ok {
			return use{call: call, recv: t.Bound[0], name: t.Func.Name(), src: s, kind: kind}, true
		}
	}
	return use{}, false
}

// unassignedParam returns the parameter that e names when its function
// never assigns it: it holds what the callers pass.
func (c *checker) unassignedParam(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Kind() != types.ParamVar || len(c.idx.Assignments(v)) > 0 {
		return nil
	}
	return v
}

// logfParam returns the parameter that e names when it is one shaped like
// Logf, never assigned in its function.
func (c *checker) logfParam(e ast.Expr) *types.Var {
	if v := c.unassignedParam(e); v != nil && isLogf(v.Type()) {
		return v
	}
	return nil
}

// reporterParamUse returns the use that call, sel.Log(...) or
// sel.Errorf(...) on a parameter of an interface type with such methods,
// makes: its callers may give it a testing value (startWith(t) with
// func startWith(l interface{ Logf(string, ...any) })).
func (c *checker) reporterParamUse(call *ast.CallExpr, fn *types.Func) (use, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	kind := methodReach(fn.Name())
	if !ok || kind == 0 || !types.IsInterface(c.pass.TypesInfo.TypeOf(sel.X)) {
		return use{}, false
	}
	v := c.unassignedParam(sel.X)
	if v == nil || knowledge.IsLoggerType(v.Type()) {
		return use{}, false
	}
	return use{call: call, recv: sel.X, name: fn.Name(), src: source{v: v}, kind: kind}, true
}

// methodValueSource returns the source of e when it is a testing value's
// method taken as a value (t.Logf): a logger made of the test.
func (c *checker) methodValueSource(e *ast.SelectorExpr, depth int) (source, bool) {
	sel := c.pass.TypesInfo.Selections[e]
	if sel == nil || sel.Kind() != types.MethodVal || !testmodel.IsTestingType(c.pass.TypesInfo.TypeOf(e.X)) {
		return source{}, false
	}
	kind := methodReach(e.Sel.Name)
	if kind == 0 {
		return source{}, false
	}
	s, ok := c.sourceOf(e.X, depth+1)
	if !ok {
		return source{}, false
	}
	s.origin, s.kind = e, kind
	return s, true
}

// heldTestingUse is the use of a testing value's method called through
// an interface value that the package shows holds only testing values
// (var l logger = t; l.Log(...)), or through the interface a struct
// embeds (type testLogger struct{ logger }; l := &testLogger{t}): every
// method the call runs (the index's Implementations) is the testing
// package's.
func (c *checker) heldTestingUse(call *ast.CallExpr) (use, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	kind := 0
	if ok {
		kind = methodReach(sel.Sel.Name)
	}
	ref, _, resolved := c.idx.Callee(call)
	if kind == 0 || !resolved {
		return use{}, false
	}
	impls := c.idx.Implementations(ref)
	if len(impls) == 0 || slices.ContainsFunc(impls, func(t funcindex.Target) bool { return !testmodel.IsTestingMethod(t.Func) }) {
		return use{}, false
	}
	src, ok := c.sourceOf(sel.X, 0)
	if !ok {
		// s.log.Logf in a method, the field holding only testing
		// values: whichever test its callers built s with.
		p := c.fieldOfParam(sel.X)
		if p == nil {
			return use{}, false
		}
		src = source{v: p, kind: reachLog}
	}
	return use{call: call, recv: sel.X, name: sel.Sel.Name, src: src, kind: max(src.kind, kind)}, true
}

// useOf decides whether call writes to or fails a test, and through what.
func (c *checker) useOf(call *ast.CallExpr) (use, bool) {
	info := c.pass.TypesInfo
	if recv, fn, ok := testmodel.TestingMethod(info, call); ok {
		kind := methodReach(fn.Name())
		if kind == 0 {
			return use{}, false
		}
		s, ok := c.sourceOf(recv, 0)
		return use{call: call, recv: recv, name: fn.Name(), src: s, kind: kind}, ok
	}
	if u, ok := c.methodValueUse(call); ok {
		return u, true
	}
	if u, ok := c.heldTestingUse(call); ok {
		return u, true
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return use{}, false
	}
	// fmt.Fprintf(t.Output(), ...): a write to a writer bound to a test,
	// to a writer parameter (as w.Write is), or to a writer an operand
	// holds (fmt.Fprintf(l.out, ...)).
	if knowledge.WritesTo(fn) && len(call.Args) > 0 {
		if s, ok := c.sourceOf(call.Args[0], 0); ok && (s.origin != nil || s.kind != 0 || c.fieldOfParam(call.Args[0]) != nil) {
			return use{call: call, src: s, kind: max(s.kind, reachLog)}, true
		}
	}
	if u, ok := c.reporterParamUse(call, fn); ok {
		return u, true
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil && knowledge.LoggerMethodWrites(fn) {
		// s.logger.Info(...) in a method or helper: the logger in a field
		// of an operand, which its callers may have built bound.
		if p := c.fieldOfParam(sel.X); p != nil && (knowledge.IsLoggerType(c.pass.TypesInfo.TypeOf(sel.X)) || isWriter(c.pass.TypesInfo.TypeOf(sel.X)) && isWrite(fn)) {
			return use{call: call, recv: sel.X, name: fn.Name(), src: source{v: p}, kind: reachLog}, true
		}
		// A method of a logger, of a writer (Write), or of a mock built on
		// a bound controller; not any method of a value that holds a
		// logger, which may or may not write with it.
		s, ok := c.sourceOf(sel.X, 0)
		writes := knowledge.IsLoggerType(c.pass.TypesInfo.TypeOf(sel.X)) || isWrite(fn) || s.kind == reachFail
		if ok && writes && (s.origin != nil || s.kind != 0) {
			return use{call: call, recv: sel.X, name: fn.Name(), src: s, kind: max(s.kind, reachLog)}, true
		}
	}
	ref, operands, ok := c.idx.Callee(call)
	if !ok || ref.Func == nil {
		return use{}, false
	}
	return c.operandUse(call, c.calleeFacts(fn, ref), operands)
}

// operandUse returns the use that call makes by giving operands to a
// function whose facts (one set for each function the call may run) say
// which operands it logs to or fails.
func (c *checker) operandUse(call *ast.CallExpr, facts []*reports, operands []ast.Expr) (use, bool) {
	if len(facts) == 0 {
		return use{}, false
	}
	for i, op := range operands {
		logs := slices.ContainsFunc(facts, func(f *reports) bool { return f.Logs.Has(i) })
		fails := slices.ContainsFunc(facts, func(f *reports) bool { return f.Fails.Has(i) })
		if !logs && !fails {
			continue
		}
		s, ok := c.sourceOf(op, 0)
		if !ok {
			continue
		}
		kind := reachLog
		if fails || s.kind == reachFail {
			kind = reachFail
		}
		return use{call: call, src: s, kind: kind}, true
	}
	return use{}, false
}

// calleeFacts returns the facts of fn, which ref runs: its own, or, for
// an interface's method, those of the methods of the concrete types the
// package shows the receiver may hold (var l logger = tLogger{t}). Their
// operands number as the call's.
func (c *checker) calleeFacts(fn *types.Func, ref funcindex.Ref) []*reports {
	if f := c.factOf(fn); f != nil {
		return []*reports{f}
	}
	var facts []*reports
	for _, t := range c.idx.Implementations(ref) {
		if f := c.factOf(t.Func); f != nil {
			facts = append(facts, f)
		}
	}
	return facts
}
