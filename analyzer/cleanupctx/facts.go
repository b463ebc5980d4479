package cleanupctx

import (
	"go/ast"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Fact is what a function does with cleanups and contexts, as its callers
// see it. Operands are numbered as funcindex numbers them: a method's
// receiver is operand 0 and its parameters follow. It is exported for the
// functions that do any of it.
type Fact struct {
	// Cleanups: the function registers its function parameter Func with
	// Cleanup on its testing parameter T.
	Cleanups []Registration
	// Results: the function returns, as result Result, the Context() of
	// its testing parameter T, or a context derived from its context
	// parameter Ctx (the other is -1).
	Results []Result
	// CleanupUses: the function uses its context parameter Ctx in a
	// cleanup it registers on its testing parameter T.
	CleanupUses []CleanupUse
	// TestContexts: the function, when called, uses the Context() of a
	// testing value it is given, itself or through the helpers it calls:
	// called in a cleanup, it fails with context canceled.
	TestContexts []TestContextUse
	// Holds: the function returns a harness that keeps its testing
	// operand in a field (a constructor, h := newHarness(t)).
	Holds []Holding
}

// Registration says that parameter Func is registered on parameter T's test.
type Registration struct{ Func, T int }

// Result says where a context result comes from.
type Result struct{ Result, T, Ctx int }

// CleanupUse says that context parameter Ctx is used in a cleanup
// registered on parameter T's test.
type CleanupUse struct{ Ctx, T int }

// TestContextUse says that the Context() of operand T, or of the testing
// value in its field Field (h.t of a harness h), is used: passed to a call
// that needs it alive, derived or not. Via names the function that calls
// Context(), for messages.
type TestContextUse struct {
	T     int
	Field string
	Via   string
}

// Holding says that result Result is a struct, or a pointer to one, whose
// field Field holds testing operand T; nothing but composite literals sets
// that field.
type Holding struct {
	Result int
	Field  string
	T      int
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "cleanup=1:t=0 result=0:t=0 result=0:ctx=1 cleanupuse=1:t=0 testctx=0
// testctx=0.t holds=0.t:t=0".
func (f *Fact) String() string {
	var parts []string
	for _, r := range f.Cleanups {
		parts = append(parts, "cleanup="+strconv.Itoa(r.Func)+":t="+strconv.Itoa(r.T))
	}
	for _, r := range f.Results {
		if r.T >= 0 {
			parts = append(parts, "result="+strconv.Itoa(r.Result)+":t="+strconv.Itoa(r.T))
		} else {
			parts = append(parts, "result="+strconv.Itoa(r.Result)+":ctx="+strconv.Itoa(r.Ctx))
		}
	}
	for _, u := range f.CleanupUses {
		parts = append(parts, "cleanupuse="+strconv.Itoa(u.Ctx)+":t="+strconv.Itoa(u.T))
	}
	for _, u := range f.TestContexts {
		part := "testctx=" + strconv.Itoa(u.T)
		if u.Field != "" {
			part += "." + u.Field
		}
		parts = append(parts, part)
	}
	for _, h := range f.Holds {
		parts = append(parts, "holds="+strconv.Itoa(h.Result)+"."+h.Field+":t="+strconv.Itoa(h.T))
	}
	return strings.Join(parts, " ")
}

func (f *Fact) empty() bool {
	return len(f.Cleanups) == 0 && len(f.Results) == 0 && len(f.CleanupUses) == 0 && len(f.TestContexts) == 0 && len(f.Holds) == 0
}

var noFact Fact

// factOf returns what calling fn does; never nil.
func (c *checker) factOf(fn *types.Func) *Fact {
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return &noFact
	}
	if fn.Pkg() != c.pass.Pkg {
		if f, ok := c.imported[fn]; ok {
			return f
		}
		f := &noFact
		if imp := new(Fact); c.pass.ImportObjectFact(fn, imp) {
			f = imp
		}
		c.imported[fn] = f
		return f
	}
	if f, ok := c.facts[fn]; ok {
		return f
	}
	decl := c.idx.FuncOf(fn)
	if decl == nil || c.busy[fn] || !summarized(fn) {
		return &noFact // recursion: what is known so far is nothing
	}
	c.busy[fn] = true
	f := c.summarize(decl)
	delete(c.busy, fn)
	c.facts[fn] = f
	return f
}

// summarized reports whether fn may have a fact: it takes a testing value,
// itself or in a field of a struct (a harness as receiver), or returns a
// context or a harness.
func summarized(fn *types.Func) bool {
	sig := fn.Signature()
	for v := range sig.Results().Variables() {
		if knowledge.IsContext(v.Type()) || testmodel.HoldsTestingValue(v.Type()) {
			return true
		}
	}
	if recv := sig.Recv(); recv != nil && testmodel.HoldsTestingValue(recv.Type()) {
		return true
	}
	for v := range sig.Params().Variables() {
		if testmodel.IsTestingType(v.Type()) || testmodel.HoldsTestingValue(v.Type()) {
			return true
		}
	}
	return false
}

// summarize computes the fact of decl, a function of the package.
func (c *checker) summarize(decl *funcindex.Func) *Fact {
	params := make(map[*types.Var]int)
	for i, p := range decl.Params {
		if decl.Obj.Signature().Variadic() && i == len(decl.Params)-1 {
			break
		}
		params[p] = i
	}
	s := &summarizer{c: c, decl: decl, params: params, fact: &Fact{}}
	// The calls of the function's own body, not of the literals in it,
	// which may run at any time or never.
	for _, call := range decl.Calls {
		s.registrations(call)
		s.helperUses(call)
	}
	// A test the go tool runs is nobody's helper.
	if d, ok := decl.Node.(*ast.FuncDecl); !ok || testmodel.TestFuncKind(c.info, d) == "" {
		for _, call := range c.callsWhenCalled(decl) {
			s.testContexts(call)
		}
	}
	s.results(decl)
	s.holdings(decl)
	return s.fact
}

// A summarizer computes the fact of one function.
type summarizer struct {
	c      *checker
	decl   *funcindex.Func
	params map[*types.Var]int // the function's operands, but a variadic one
	fact   *Fact
}

// param returns the operand that e, a parameter, is.
func (s *summarizer) param(e ast.Expr) (int, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return 0, false
	}
	v, ok := s.c.info.Uses[id].(*types.Var)
	if !ok {
		return 0, false
	}
	i, ok := s.params[v]
	return i, ok
}

// testParam returns the operand whose test the testing value e is.
func (s *summarizer) testParam(e ast.Expr) (int, bool) {
	ref, ok := s.c.testRef(e, nil, 0)
	if !ok || ref.method != "" {
		return 0, false
	}
	i, ok := s.params[ref.v]
	return i, ok
}

// registrations records the function parameters that call registers with
// Cleanup on a testing parameter, and the context parameters those
// cleanups use.
func (s *summarizer) registrations(call *ast.CallExpr) {
	fn, operands := s.c.callee(call)
	for _, ca := range s.c.cleanupArgs(call, fn, operands) {
		j, ok := s.testParam(ca.t)
		if !ok {
			continue
		}
		if i, ok := s.param(ca.fn); ok {
			s.fact.addCleanup(i, j)
			continue
		}
		lit, ok := ast.Unparen(ca.fn).(*ast.FuncLit)
		if !ok {
			continue
		}
		// t.Cleanup(func() { if err := f(); err != nil { ... } })
		for _, inner := range s.c.idx.Func(lit).Calls {
			if len(inner.Args) == 0 {
				if i, ok := s.param(inner.Fun); ok {
					s.fact.addCleanup(i, j)
				}
			}
		}
		s.c.contextUses(lit.Body, func(_ *ast.CallExpr, arg ast.Expr) {
			s.cleanupUse(arg, j)
		})
	}
}

// callsWhenCalled returns the calls that run when f is called: its own,
// and those of the function literals it calls (a closure in a variable, a
// deferred func() { ... }()), at any depth. Not those of the literals it
// hands to other code, which may run them later or never.
func (c *checker) callsWhenCalled(f *funcindex.Func) []*ast.CallExpr {
	var calls []*ast.CallExpr
	seen := map[*funcindex.Func]bool{f: true}
	var add func(f *funcindex.Func)
	add = func(f *funcindex.Func) {
		for _, call := range f.Calls {
			calls = append(calls, call)
			ref, _, _ := c.idx.Callee(call)
			if lit := c.idx.Func(ref.Lit); ref.Lit != nil && lit != nil && !seen[lit] {
				seen[lit] = true
				add(lit)
			}
		}
	}
	add(f)
	return calls
}

// testContexts records the testing operands whose Context() call uses,
// derived or not, or hands to a helper that uses it. A call of an
// interface method or a function value is left out: it may not need the
// context alive (a tracer's Start, a metric's Add), and a helper's fact
// makes every cleanup that calls the helper a finding.
func (s *summarizer) testContexts(call *ast.CallExpr) {
	if s.c.fails(call) != "fails" {
		return
	}
	for _, i := range s.c.contextArgs(call) {
		q := &query{params: s.params}
		if r, ok := s.c.dead(q, call.Args[i]); ok && r.fromT {
			s.addTestContext(TestContextUse{T: r.param, Field: r.field, Via: s.decl.Obj.Name()}, r.at)
		}
	}
	callee, operands := s.c.callee(call)
	if callee == nil {
		return
	}
	for _, u := range s.c.factOf(callee).TestContexts {
		if u.T >= len(operands) {
			continue
		}
		j, field, ok := s.testOperand(operands[u.T], u.Field)
		if !ok {
			continue
		}
		// The helper's own site, when it is in this package, is deeper
		// than the call of it.
		site := ast.Node(call)
		if at, ok := s.c.sites[siteKey{callee.Origin(), u.T, u.Field}]; ok {
			site = at
		}
		s.addTestContext(TestContextUse{T: j, Field: field, Via: u.Via}, site)
	}
}

// testOperand returns the operand of the summarized function, and its
// field, that e hands a helper as the testing value the helper's fact
// names: e itself or its field.
func (s *summarizer) testOperand(e ast.Expr, field string) (int, string, bool) {
	if field == "" {
		return s.c.testOperand(&query{params: s.params}, e)
	}
	i, ok := s.unassignedParam(e)
	return i, field, ok
}

// unassignedParam returns the operand that e, a parameter never assigned
// in the function, is.
func (s *summarizer) unassignedParam(e ast.Expr) (int, bool) {
	v, ok := s.c.info.Uses[identOf(e)].(*types.Var)
	if !ok || s.c.idx.Opaque(v) || len(s.c.idx.Assignments(v)) > 0 {
		return 0, false
	}
	i, ok := s.params[v]
	return i, ok
}

// addTestContext records u, first found at site, the Context() call or the
// helper's call that a finding in this package points to.
func (s *summarizer) addTestContext(u TestContextUse, site ast.Node) {
	for _, x := range s.fact.TestContexts {
		if x.T == u.T && x.Field == u.Field {
			return
		}
	}
	s.fact.TestContexts = append(s.fact.TestContexts, u)
	s.c.sites[siteKey{s.decl.Obj, u.T, u.Field}] = site
}

// helperUses records the context parameters that call passes to a helper
// that uses them in a cleanup it registers on a testing parameter.
func (s *summarizer) helperUses(call *ast.CallExpr) {
	callee, operands := s.c.callee(call)
	if callee == nil {
		return
	}
	for _, u := range s.c.factOf(callee).CleanupUses {
		if u.Ctx >= len(operands) || u.T >= len(operands) {
			continue
		}
		if j, ok := s.testParam(operands[u.T]); ok {
			s.cleanupUse(operands[u.Ctx], j)
		}
	}
}

// cleanupUse records that ctx, when it is a context parameter, is used in
// a cleanup registered on testing operand j.
func (s *summarizer) cleanupUse(ctx ast.Expr, j int) {
	q := &query{params: s.params}
	if r, ok := s.c.dead(q, ctx); ok && r.fromCtx {
		s.fact.addCleanupUse(r.param, j)
	}
}

// results records the context results that come from the same parameter
// on every return of decl.
func (s *summarizer) results(decl *funcindex.Func) {
	rets := decl.Returns
	results := decl.Obj.Signature().Results()
	n := results.Len()
	for k := range n {
		if !knowledge.IsContext(results.At(k).Type()) || len(rets) == 0 {
			continue
		}
		var first reason
		ok := true
		for i, ret := range rets {
			q := &query{params: s.params}
			var r reason
			var dead bool
			switch {
			case len(ret.Results) == n:
				r, dead = s.c.dead(q, ret.Results[k])
			case len(ret.Results) == 1 && n > 1:
				if call, isCall := ast.Unparen(ret.Results[0]).(*ast.CallExpr); isCall {
					r, dead = s.c.deadResult(q, call, k)
				}
			}
			// A field's testing value (h.t) is no operand a result can name.
			if !dead || r.field != "" || i > 0 && (r.fromT != first.fromT || r.param != first.param) {
				ok = false
				break
			}
			first = r
		}
		if !ok {
			continue
		}
		res := Result{Result: k, T: -1, Ctx: -1}
		if first.fromT {
			res.T = first.param
		} else {
			res.Ctx = first.param
		}
		s.fact.Results = append(s.fact.Results, res)
	}
}

// holdings records the results of decl that are harnesses keeping a
// testing operand in a field, the same on every return.
func (s *summarizer) holdings(decl *funcindex.Func) {
	results := decl.Obj.Signature().Results()
	for k := range results.Len() {
		st, ok := knowledge.Deref(results.At(k).Type()).Underlying().(*types.Struct)
		if !ok || len(decl.Returns) == 0 {
			continue
		}
		for field := range st.Fields() {
			if !testmodel.IsTestingType(field.Type()) || !s.c.setOnlyByLiterals(field) {
				continue
			}
			if j, ok := s.heldOperand(decl, k, field); ok {
				s.fact.Holds = append(s.fact.Holds, Holding{Result: k, Field: field.Name(), T: j})
			}
		}
	}
}

// heldOperand returns the testing operand that every return of decl puts
// in field of its result k: &harness{t: t}, or a variable holding it.
func (s *summarizer) heldOperand(decl *funcindex.Func, k int, field *types.Var) (int, bool) {
	n := decl.Obj.Signature().Results().Len()
	j := -1
	for _, ret := range decl.Returns {
		if len(ret.Results) != n {
			return 0, false
		}
		value, ok := s.c.literalFieldOf(ret.Results[k], field, nil)
		if !ok {
			return 0, false
		}
		i, f, ok := s.c.testOperand(&query{params: s.params}, value)
		if !ok || f != "" || j >= 0 && i != j {
			return 0, false
		}
		j = i
	}
	return j, true
}

func (f *Fact) addCleanup(i, j int) {
	if r := (Registration{Func: i, T: j}); !slices.Contains(f.Cleanups, r) {
		f.Cleanups = append(f.Cleanups, r)
	}
}

func (f *Fact) addCleanupUse(i, j int) {
	if u := (CleanupUse{Ctx: i, T: j}); !slices.Contains(f.CleanupUses, u) {
		f.CleanupUses = append(f.CleanupUses, u)
	}
}

// exportFacts exports the facts of the package's functions.
func (c *checker) exportFacts() {
	// No package imports an external test package (x_test): its facts
	// would never be read, and computing them is most of what the
	// analyzer costs on a package with many tests.
	if strings.HasSuffix(c.pass.Pkg.Path(), "_test") {
		return
	}
	for _, fn := range c.idx.Funcs() {
		if fn.Obj == nil {
			continue
		}
		if f := c.factOf(fn.Obj); !f.empty() {
			c.pass.ExportObjectFact(fn.Obj, f)
		}
	}
}
