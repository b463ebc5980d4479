package aftertest

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// reports is a fact of a function that writes to or fails the test of an
// operand (the receiver, if any, is operand 0), or returns a logger bound
// to it: a project's own test logger, a helper that logs.
type reports struct {
	// Logs holds the operands whose test (or logger) the function writes
	// to; Fails those whose test it fails.
	Logs, Fails summary.Bits
	// Binds holds the operands whose testing value the function's result
	// is bound to (newTestLogger(t)), and BindKind how using it reaches
	// the test.
	Binds    summary.Bits
	BindKind int
	// AsyncLogs and AsyncFails hold the operands whose test (or logger,
	// or a logger in a field of theirs) a goroutine the function starts
	// and does not wait for writes to or fails: a server's Start that
	// runs go s.loop().
	AsyncLogs, AsyncFails summary.Bits
}

// AFact marks reports as an analysis fact.
func (*reports) AFact() {}

func (f *reports) String() string {
	var parts []string
	if f.Logs != 0 {
		parts = append(parts, "logs="+f.Logs.String())
	}
	if f.Fails != 0 {
		parts = append(parts, "fails="+f.Fails.String())
	}
	if f.Binds != 0 {
		parts = append(parts, "binds="+f.Binds.String())
	}
	if f.AsyncLogs != 0 {
		parts = append(parts, "asynclogs="+f.AsyncLogs.String())
	}
	if f.AsyncFails != 0 {
		parts = append(parts, "asyncfails="+f.AsyncFails.String())
	}
	return "reports(" + strings.Join(parts, " ") + ")"
}

func (f *reports) empty() bool {
	return f.Logs == 0 && f.Fails == 0 && f.Binds == 0 && f.AsyncLogs == 0 && f.AsyncFails == 0
}

// factOf returns what fn does to the tests of its operands: computed for
// the package's functions, imported for others; nil if nothing.
func (c *checker) factOf(fn *types.Func) *reports {
	fn = fn.Origin()
	if f, ok := c.facts[fn]; ok {
		return f
	}
	if fn.Pkg() == c.pass.Pkg {
		return nil
	}
	var f reports
	if !c.pass.ImportObjectFact(fn, &f) {
		c.facts[fn] = nil
		return nil
	}
	c.facts[fn] = &f
	return &f
}

// computeFacts computes the facts of the package's declared functions
// that take a value that can reach a test, iterating until none grows
// (helpers calling helpers), and exports them.
func (c *checker) computeFacts() {
	var fns []*funcindex.Func
	for _, f := range c.idx.Funcs() {
		decl, _ := f.Node.(*ast.FuncDecl)
		if f.Obj != nil && takesReporter(f.Params) && testmodel.TestFuncKind(c.pass.TypesInfo, decl) == "" {
			fns = append(fns, f)
		}
	}
	callees := c.calleesAmong(fns)
	// Callees first: a function computed after every function it calls
	// needs no second round, unless it is part of a recursion.
	fns = calleesFirst(fns, callees)
	computed := make(map[*types.Func]int, len(fns)) // when each was last computed
	changed := make(map[*types.Func]int, len(fns))  // when its fact last grew
	step := 0
	dirty := fns
	for range 8 {
		for _, f := range dirty {
			step++
			nf := c.compute(f)
			computed[f.Obj] = step
			old := c.facts[f.Obj]
			if old == nil && nf.empty() || old != nil && *old == nf {
				continue
			}
			c.facts[f.Obj] = &nf
			changed[f.Obj] = step
		}
		dirty = nil
		for _, f := range fns {
			if analysisutil.GrewSince(callees[f], changed, computed[f.Obj]) {
				dirty = append(dirty, f)
			}
		}
		if len(dirty) == 0 {
			break
		}
	}
	for _, f := range fns {
		if fact := c.facts[f.Obj]; fact != nil && !fact.empty() {
			c.pass.ExportObjectFact(f.Obj, fact)
		}
	}
}

// calleesAmong returns, for each of fns, the functions among fns that its
// code, with every literal in it, calls.
func (c *checker) calleesAmong(fns []*funcindex.Func) map[*funcindex.Func][]*types.Func {
	among := make(map[*types.Func]bool, len(fns))
	for _, f := range fns {
		among[f.Obj] = true
	}
	callees := make(map[*funcindex.Func][]*types.Func, len(fns))
	for _, f := range fns {
		for _, g := range c.nested(f) {
			for _, call := range g.Calls {
				if ref, _, ok := c.idx.Callee(call); ok && among[ref.Func] && !slices.Contains(callees[f], ref.Func) {
					callees[f] = append(callees[f], ref.Func)
				}
			}
		}
	}
	return callees
}

// calleesFirst returns fns ordered so that each comes after the functions
// it calls, but where calls form a cycle.
func calleesFirst(fns []*funcindex.Func, callees map[*funcindex.Func][]*types.Func) []*funcindex.Func {
	byObj := make(map[*types.Func]*funcindex.Func, len(fns))
	for _, f := range fns {
		byObj[f.Obj] = f
	}
	out := make([]*funcindex.Func, 0, len(fns))
	seen := make(map[*funcindex.Func]bool, len(fns))
	var visit func(f *funcindex.Func)
	visit = func(f *funcindex.Func) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, g := range callees[f] {
			visit(byObj[g])
		}
		out = append(out, f)
	}
	for _, f := range fns {
		visit(f)
	}
	return out
}

// nested returns f and every literal in it, at any depth. The index lists
// functions in source order, a literal after the function it is in: f's
// literals are the functions that follow it within its extent.
func (c *checker) nested(f *funcindex.Func) []*funcindex.Func {
	funcs := c.idx.Funcs()
	if c.order == nil {
		c.order = make(map[*funcindex.Func]int, len(funcs))
		for i, g := range funcs {
			c.order[g] = i
		}
	}
	out := []*funcindex.Func{f}
	i, ok := c.order[f]
	if !ok {
		return out
	}
	for _, g := range funcs[i+1:] {
		// The next file's functions may have any positions: the files
		// of a package are not parsed in order.
		if g.Node.Pos() < f.Node.Pos() || g.Node.Pos() >= f.Node.End() {
			break
		}
		out = append(out, g)
	}
	return out
}

// takesReporter reports whether one of params can reach a test: a
// testing value, a logger (t.Logf among them), a writer (an adapter whose
// Write logs to the test), a struct holding one of those, or an
// interface that may hold a testing value (one with Logf, Errorf...).
func takesReporter(params []*types.Var) bool {
	for _, p := range params {
		t := p.Type()
		if testmodel.IsTestingType(t) || knowledge.IsLoggerType(t) || isLogf(t) || isWriter(t) || testmodel.HoldsTestingValue(t) || holdsLogger(t) || holdsWriter(t) {
			return true
		}
		if isReporterInterface(t) || holdsReporterInterface(t) {
			return true
		}
	}
	return false
}

// isReporterInterface reports whether t is an interface that may hold a
// testing value: one with Logf, Errorf and the like.
func isReporterInterface(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range iface.Methods() {
		if reporterMethods[m.Name()] {
			return true
		}
	}
	return false
}

// holdsReporterInterface reports whether t is a struct, or a pointer to
// one, with a field of such an interface (a pinger built with
// &pinger{log: t}): its methods may use the test through it.
func holdsReporterInterface(t types.Type) bool { return knowledge.HasFieldOf(t, isReporterInterface) }

// holdsLogger reports whether t is a struct, or a pointer to one, with a
// field of a logger type: a server built with the test's logger.
func holdsLogger(t types.Type) bool {
	return knowledge.HasFieldOf(t, func(ft types.Type) bool { return knowledge.IsLoggerType(ft) || isLogf(ft) })
}

// holdsWriter reports whether t is a struct, or a pointer to one, with a
// writer in a field, or such a struct (a logger of the project's own
// that writes to the writer it keeps, a server holding that logger).
// Only what such a value writes to is followed: not every use of the
// value, as holdsLogger's are (a fake server holding pipes is no logger).
func holdsWriter(t types.Type) bool {
	return holdsWriterIn(t, 2)
}

func holdsWriterIn(t types.Type, depth int) bool {
	st, ok := knowledge.Deref(t).Underlying().(*types.Struct)
	if !ok || depth == 0 {
		return false
	}
	for field := range st.Fields() {
		if isWriter(field.Type()) || holdsWriterIn(field.Type(), depth-1) {
			return true
		}
	}
	return false
}

// isWriter reports whether t is an interface with io.Writer's Write: a
// value of it may be an adapter that logs what it is given to a test
// (testWriter{t}).
func isWriter(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range iface.Methods() {
		if m.Name() != "Write" {
			continue
		}
		sig := m.Signature()
		if sig.Params().Len() == 1 && sig.Results().Len() == 2 {
			if s, ok := sig.Params().At(0).Type().Underlying().(*types.Slice); ok && types.Identical(s.Elem(), types.Typ[types.Byte]) {
				return true
			}
		}
	}
	return false
}

// isLogf reports whether t is a function shaped like a testing value's
// Logf or Log (func(format string, args ...any), func(args ...any)): a
// field of that type may hold t.Logf.
func isLogf(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || !sig.Variadic() || sig.Results().Len() != 0 || sig.Params().Len() > 2 {
		return false
	}
	if sig.Params().Len() == 2 {
		if b, ok := sig.Params().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.String {
			return false
		}
	}
	last, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice)
	return ok && types.IsInterface(last.Elem())
}

// reporterMethods are the methods that make an interface a possible
// testing value or logger.
var reporterMethods = map[string]bool{"Log": true, "Logf": true, "Errorf": true, "Fatalf": true, "Helper": true}

// compute derives f's fact from its own calls and those of the literals
// in it that do not run on goroutines of their own, and from what it
// returns.
func (c *checker) compute(f *funcindex.Func) reports {
	var r reports
	for _, fn := range c.withLiterals(f) {
		for _, call := range fn.Calls {
			if c.idx.GoOf(call) != nil {
				continue // runs on a goroutine of its own: asyncUses
			}
			u, ok := c.useOf(call)
			if !ok {
				continue
			}
			if i := slices.Index(f.Params, u.src.v); i >= 0 {
				if u.kind == reachFail {
					r.Fails |= 1 << i
				} else {
					r.Logs |= 1 << i
				}
			}
		}
	}
	c.asyncUses(f, &r)
	for _, ret := range f.Returns {
		for _, res := range ret.Results {
			s, ok := c.sourceOf(res, 0)
			if !ok || s.origin == nil {
				continue // the testing value itself is no logger it binds
			}
			if i := slices.Index(f.Params, s.v); i >= 0 && i < 64 {
				r.Binds |= 1 << i
				r.BindKind = max(r.BindKind, s.kind)
			}
		}
	}
	return r
}

// asyncUses adds to r the operands of f whose test a goroutine that f
// starts (go s.loop(), go func() { ... }()) uses, unless f waits for it.
func (c *checker) asyncUses(f *funcindex.Func, r *reports) {
	for _, fn := range c.withLiterals(f) {
		for _, site := range c.sums.Sites(fn.Body) {
			if site.Go == nil {
				continue
			}
			var uses []use
			var bodies []*funcindex.Func
			if lit, ok := ast.Unparen(site.Go.Call.Fun).(*ast.FuncLit); ok {
				if g := c.idx.Func(lit); g != nil {
					bodies = c.withLiterals(g)
					for _, body := range bodies {
						for _, call := range body.Calls {
							if u, ok := c.useOf(call); ok {
								uses = append(uses, u)
							}
						}
					}
				}
			} else if u, ok := c.useOf(site.Go.Call); ok {
				uses = append(uses, u)
			}
			for _, u := range uses {
				i := slices.Index(f.Params, u.src.v)
				if i < 0 || i >= 64 || c.joinedIn(f, site.Go, bodies) {
					continue
				}
				if u.kind == reachFail {
					r.AsyncFails |= 1 << i
				} else {
					r.AsyncLogs |= 1 << i
				}
			}
		}
	}
}

// joinedIn reports whether f may wait, before it returns, for the
// goroutine that g starts, whose code is bodies: then a call of f starts
// nothing that outlives it. It does not depend on the facts, so the
// rounds of computeFacts ask it once per go statement.
func (c *checker) joinedIn(f *funcindex.Func, g *ast.GoStmt, bodies []*funcindex.Func) bool {
	joined, ok := c.goJoined[g]
	if !ok {
		joined, _ = c.joined(&owner{fn: f}, g, g.Call, bodies, g.Call, false)
		c.goJoined[g] = joined
	}
	return joined
}

// withLiterals returns f and the literals in it, at any depth, that do
// not run on goroutines of their own.
func (c *checker) withLiterals(f *funcindex.Func) []*funcindex.Func {
	out := []*funcindex.Func{f}
	for _, g := range c.nested(f)[1:] {
		if c.runsHere(g, f) {
			out = append(out, g)
		}
	}
	return out
}

// runsHere reports whether g, a literal inside f, runs on f's goroutine:
// neither it nor a literal between it and f is a goroutine's function.
func (c *checker) runsHere(g, f *funcindex.Func) bool {
	for cur := g; cur != nil && cur != f; cur = cur.Outer {
		if c.goBody[cur.Node] {
			return false
		}
	}
	return true
}
