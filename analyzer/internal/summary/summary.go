// Package summary computes, once per package, what each function does to
// the tests whose testing values it receives, and exports it as facts so
// that helpers in other packages are understood as well as local ones.
//
// A summary is a set of small monotone facts over operands (the receiver,
// if any, then the parameters): "stops the test of operand i", "runs
// operand i on another goroutine". Summaries of a package's
// functions and function literals are iterated to a fixed point, so helpers
// calling helpers (and recursion) are followed to any depth; calls into
// other packages read the facts those packages exported.
package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Analyzer computes the summaries. Analyzers that need them require it and
// read its *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "testracessummary",
	Doc:        "summarise what each function does to the tests it is given (used by every testraces analyzer)",
	URL:        "https://github.com/testraces/testraces",
	Run:        run,
	FactTypes:  []analysis.Fact{new(Fact)},
	Requires:   []*analysis.Analyzer{funcindex.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
}

// Bits is a set of operand indexes (the receiver, if any, is 0). Operands
// past the 64th are not tracked.
type Bits uint64

func bit(i int) Bits {
	if i < 0 || i >= 64 {
		return 0
	}
	return 1 << i
}

// Has reports whether i is in b.
func (b Bits) Has(i int) bool { return bit(i)&b != 0 }

// Fact is what a function does to the tests of the testing values it is
// given, as seen by its callers. It is exported for functions that do any
// of it. Each family says one thing, and has its own String, empty and
// equal: a property is added to one family, in one place.
type Fact struct {
	Goroutines
	Kept
	Readiness
}

// Goroutines is which goroutine the code a function is given runs on, and
// which tests it stops on the calling goroutine.
type Goroutines struct {
	// FailsNow holds the operands from which the function reaches a
	// testing value (t, h.t, s.T()) whose test it stops on the calling
	// goroutine: t.Fatal, t.FailNow, t.Skip, require.NoError, ...
	FailsNow Bits
	// Async holds the operands that are functions the function runs on
	// another goroutine: go f(), errgroup's Go(f), time.AfterFunc(d, f).
	Async Bits
	// Unless holds early returns before every such goroutine (see
	// Guard): a call that takes one runs nothing on another goroutine.
	Unless [2]Guard
	// ReturnsFailing holds the operands whose test the function's first
	// result, a function, stops when it is called: a closure it hands
	// back (testutil.Handler(t) returning a handler that calls
	// t.Fatal), which runs wherever its caller runs it.
	ReturnsFailing Bits
	// Subtests holds the operands that are functions the function runs
	// as a subtest's body, on the subtest's goroutine: t.Run(name, f),
	// or f called in the body it gives t.Run (testify's Suite.Run).
	Subtests Bits
	// Calls holds the operands that are functions the function calls on
	// the calling goroutine (handle(msg, fn) calling fn(msg)): a kept
	// callback handed to it runs where it runs.
	Calls Bits
}

// Kept follows callbacks that a library keeps and runs later (see
// stored.go).
type Kept struct {
	// Stores: the operands the function keeps as callbacks of a kind.
	Stores []Stored
	// CallsStored: the kinds of kept callbacks it calls on the calling
	// goroutine; RunsStored: those it runs on a goroutine it starts.
	CallsStored []string
	RunsStored  []string
}

// Readiness is what a function does to servers and their clients.
type Readiness struct {
	// Listens: calling the function creates a network listener on the
	// calling goroutine (and may serve it): net.Listen,
	// http.ListenAndServe, a server's Start that binds its port.
	Listens bool
	// Binds: the function returns with a listener it created still open:
	// net.Listen, httptest.NewServer; not ListenAndServe, which returns
	// when its server stops, nor a helper that closes what it bound.
	Binds bool
	// Dials: calling the function connects to a server: http.Get,
	// client.Do, net.Dial...
	Dials bool
	// Waits: calling the function waits for another goroutine: a channel
	// receive, wg.Wait, testify's Eventually, a loop that dials until it
	// connects.
	Waits bool
	// DialsFirst: the function dials before anything it waits for (a
	// client's constructor that connects, then waits for the server's
	// reply): its connection may come before a server that is starting
	// listens, though once it returns the server has answered.
	DialsFirst bool
	// Unready: the function starts a server on another goroutine (go
	// srv.ListenAndServe(), go s.Run(ctx), g.Go(...)) and returns, or
	// blocks on what does not signal readiness (ctx.Done(), signals, an
	// error channel), without waiting for it to listen; and it binds no
	// listener of its own that the caller's requests would reach.
	Unready bool
	// CallsPending holds the operands, functions, that the function
	// calls while a server it started on another goroutine may not
	// listen yet: a helper that starts its server and hands the test a
	// callback with its URL (WithServer(t, func(url string) {...}): go
	// srv.Listen(addr); f(url)). The requests that callback sends may
	// come first.
	CallsPending Bits
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "failsnow=0 async=1 listens".
func (f *Fact) String() string {
	return strings.Join(slices.Concat(f.Goroutines.parts(), f.Readiness.parts(), f.Kept.parts()), " ")
}

func (g Goroutines) parts() []string {
	var parts []string
	if g.FailsNow != 0 {
		parts = append(parts, "failsnow="+g.FailsNow.String())
	}
	if g.Async != 0 {
		parts = append(parts, "async="+g.Async.String())
	}
	var unless []string
	for _, guard := range g.Unless {
		if guard.Op != token.ILLEGAL {
			unless = append(unless, strconv.Itoa(guard.Operand)+guard.Op.String()+strconv.FormatInt(guard.Value, 10))
		}
	}
	if unless != nil {
		parts = append(parts, "unless="+strings.Join(unless, ","))
	}
	if g.ReturnsFailing != 0 {
		parts = append(parts, "returnsfailing="+g.ReturnsFailing.String())
	}
	if g.Subtests != 0 {
		parts = append(parts, "subtests="+g.Subtests.String())
	}
	if g.Calls != 0 {
		parts = append(parts, "calls="+g.Calls.String())
	}
	return parts
}

func (r Readiness) parts() []string {
	var parts []string
	for _, flag := range []struct {
		set  bool
		name string
	}{{r.Listens, "listens"}, {r.Binds, "binds"}, {r.Dials, "dials"}, {r.Waits, "waits"}, {r.DialsFirst, "dialsfirst"}, {r.Unready, "unready"}} {
		if flag.set {
			parts = append(parts, flag.name)
		}
	}
	if r.CallsPending != 0 {
		parts = append(parts, "callspending="+r.CallsPending.String())
	}
	return parts
}

func (k *Kept) parts() []string {
	var parts []string
	if len(k.Stores) > 0 {
		parts = append(parts, "stores="+storedString(k.Stores))
	}
	if len(k.CallsStored) > 0 {
		parts = append(parts, "callsstored="+kindsString(k.CallsStored))
	}
	if len(k.RunsStored) > 0 {
		parts = append(parts, "runsstored="+kindsString(k.RunsStored))
	}
	return parts
}

func (k *Kept) empty() bool {
	return len(k.Stores) == 0 && len(k.CallsStored) == 0 && len(k.RunsStored) == 0
}

func (k *Kept) equal(o *Kept) bool {
	return slices.Equal(k.Stores, o.Stores) && slices.Equal(k.CallsStored, o.CallsStored) && slices.Equal(k.RunsStored, o.RunsStored)
}

func (f *Fact) empty() bool {
	return f.Goroutines == Goroutines{} && f.Readiness == Readiness{} && f.Kept.empty()
}

func (f *Fact) equal(o *Fact) bool {
	return f.Goroutines == o.Goroutines && f.Readiness == o.Readiness && f.Kept.equal(&o.Kept)
}

// String lists the operands in b, separated by commas.
func (b Bits) String() string {
	var parts []string
	for i := range 64 {
		if b.Has(i) {
			parts = append(parts, strconv.Itoa(i))
		}
	}
	return strings.Join(parts, ",")
}

// Summary is a function's Fact plus what only matters inside its package,
// or, as Effect returns it, what a call does.
type Summary struct {
	Fact
	Known
	// FailsFree holds, for a function literal, the variables declared
	// outside it that reach a testing value whose test it stops.
	FailsFree []*types.Var
	// CallsFree holds, for a function literal, the function variables
	// declared outside it that it calls.
	CallsFree []*types.Var
}

// Known is what is known of library functions only (see
// knowledge.Behaviour).
type Known struct {
	// Sleeps and RunsTests: time.Sleep, (*testing.M).Run.
	Sleeps, RunsTests bool
	// Locks and Unlocks: a mutex's Lock and Unlock.
	Locks, Unlocks bool
}

// isEmpty reports whether s says nothing.
func (s *Summary) isEmpty() bool {
	return s.Fact.empty() && s.Known == Known{} && len(s.FailsFree) == 0 && len(s.CallsFree) == 0
}

func (s *Summary) equal(o *Summary) bool {
	return s.Fact.equal(&o.Fact) && s.Known == o.Known && slices.Equal(s.FailsFree, o.FailsFree) && slices.Equal(s.CallsFree, o.CallsFree)
}

var empty Summary

// Result gives the summaries of a package's functions, and of the functions
// it calls in other packages. It is complete when the summary pass
// returns, and from then on only read: the analyzers of a package run
// concurrently and share it, so no query writes anything.
type Result struct {
	// Index is the package's function index, which the summaries read.
	Index     *funcindex.Index
	info      *types.Info
	pkg       *types.Package
	std       bool                         // the package is the standard library's (see kindOf)
	imported  map[*types.Func]*Summary     // the facts of other packages' functions, loaded in run
	sites     map[*ast.BlockStmt][]Site    // own calls of each body that may matter, resolved
	chanOps   map[*ast.BlockStmt][]chanOp  // each body's own channel operations, in source order
	resultVar map[*ast.CallExpr]*types.Var // the variable a call's (first) result is assigned to
	errVar    map[*ast.CallExpr]*types.Var // the variable a call's last, error result is assigned to
	// signalChans are the channels given to signal.Notify: receiving
	// from one waits for a signal of the process.
	signalChans map[*types.Var]bool
	// For callbacks kept and run later (stored.go): each body's calls of
	// kept callbacks, the assignments and sends of bodies with callback
	// parameters, and the function values kept in callback-typed state.
	callsStored  map[*ast.BlockStmt][]string
	flows        map[*ast.BlockStmt][]ast.Node
	storedValues []storedValue
	kinds        map[types.Type][]string  // the kinds of callback each type holds
	kindNames    map[types.Type]string    // the kind of callback each type is
	effects      map[*types.Func]*Summary // Effect of other packages' functions
	ifaceMethods map[*types.Func]*Summary // what calls of the package's interface methods keep and run
	keptRuns     []KeptRun                // see KeptRuns, paired once the summaries are done

	// The package's functions with their summaries, and the index of
	// each.
	funcs     []function
	litIndex  map[*ast.FuncLit]int // the index of each literal
	funcIndex map[*types.Func]int  // the index of each declared function

	memo *memo // only while the pass runs
}

// memo is what the pass keeps while it runs, to compute each thing once:
// the maps it fills (which the Result also holds, to read), and which
// function is being summarised (-1: none), so that lookup can note that
// it depends on the summaries it reads. Only the Result that run works on
// holds it; the one run returns to the analyzers is a copy without it, so
// their queries read what the pass computed and write nothing.
type memo struct {
	effects   map[*types.Func]*Summary
	kinds     map[types.Type][]string
	kindNames map[types.Type]string
	computing int // the function being summarised, -1 outside fixedPoint

	// fixedPoint's work list: queued functions are to be summarised
	// (again); those on the stack are being summarised.
	queue   []int
	queued  []bool
	onStack []bool
}

// of returns the summary of the code ref names, as this package computed
// it or another exported it; never nil. Callers want Effect, which adds
// what is known of library functions.
func (r *Result) of(ref funcindex.Ref) *Summary {
	s, _ := r.lookup(ref)
	return s
}

// lookup is of, also returning the index of ref's function in r.funcs
// (-1 for another package's).
func (r *Result) lookup(ref funcindex.Ref) (*Summary, int) {
	i, local := -1, false
	switch {
	case ref.Lit != nil:
		i, local = r.litIndex[ref.Lit]
	case ref.Func == nil:
		return &empty, -1
	default:
		i, local = r.funcIndex[ref.Func.Origin()]
	}
	if local {
		f := &r.funcs[i]
		if m := r.memo; m != nil && m.computing >= 0 && m.computing != i {
			if m.queued[i] && !m.onStack[i] {
				r.summarise(i) // read before it is summarised: summarise it now
			}
			if len(f.dependents) == 0 || f.dependents[len(f.dependents)-1] != m.computing {
				f.dependents = append(f.dependents, m.computing)
			}
		}
		if f.sum != nil {
			return f.sum, i
		}
		return &empty, i
	}
	if ref.Func != nil {
		if s, ok := r.imported[ref.Func.Origin()]; ok {
			return s, -1
		}
		if s, ok := r.ifaceMethods[ref.Func.Origin()]; ok {
			return s, -1
		}
	}
	return &empty, -1
}

// importFacts loads every fact that the package's dependencies exported:
// the analysis API allows importing facts only while the pass runs, and
// loading them all at once leaves nothing to load, and so to write, later.
func (r *Result) importFacts(pass *analysis.Pass) {
	for _, of := range pass.AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		fact, isFact := of.Fact.(*Fact)
		if ok && isFact && fn.Pkg() != r.pkg {
			r.imported[fn] = &Summary{Fact: *fact}
		}
	}
}

// function is one function of the package being summarised, with the
// state of the fixed point.
type function struct {
	*funcindex.Func
	callbacks  bool     // has callback parameters (see stored.go)
	flow       *flow    // what its assignments do with them, once computed
	dependents []int    // functions whose summaries read this one's (repeats are harmless)
	sum        *Summary // the current summary
	effect     *Summary // Effect of a call of it, kept with sum
}

func run(pass *analysis.Pass) (any, error) {
	r := &Result{
		Index: pass.ResultOf[funcindex.Analyzer].(*funcindex.Index),
		info:  pass.TypesInfo,
		pkg:   pass.Pkg,
		std:   knowledge.IsStd(pass.Pkg.Path()),
	}
	// Most packages a driver analyses are the standard library's, known
	// from tables: their Result, read only, needs no maps (a nil map
	// reads as empty).
	if knowledge.KnownWithoutCode(pass.Pkg) {
		return r, nil
	}
	r.imported = make(map[*types.Func]*Summary)
	r.sites = make(map[*ast.BlockStmt][]Site)
	r.chanOps = make(map[*ast.BlockStmt][]chanOp)
	r.resultVar = make(map[*ast.CallExpr]*types.Var)
	r.errVar = make(map[*ast.CallExpr]*types.Var)
	r.signalChans = make(map[*types.Var]bool)
	r.callsStored = make(map[*ast.BlockStmt][]string)
	r.flows = make(map[*ast.BlockStmt][]ast.Node)
	r.ifaceMethods = make(map[*types.Func]*Summary)
	r.litIndex = make(map[*ast.FuncLit]int)
	r.funcIndex = make(map[*types.Func]int)
	m := &memo{
		effects:   make(map[*types.Func]*Summary),
		kinds:     make(map[types.Type][]string),
		kindNames: make(map[types.Type]string),
		computing: -1,
	}
	r.memo, r.effects, r.kinds, r.kindNames = m, m.effects, m.kinds, m.kindNames
	r.importFacts(pass)
	r.walk()
	// Each body's sites are collected in one scratch list and copied out
	// at their size: appending to a new list for each would allocate
	// about twice that, and this is most of what a summary allocates.
	var scratch []Site
	for i := range r.funcs {
		body := r.funcs[i].Body
		scratch = r.resolveSites(body, scratch[:0])
		if len(scratch) > 0 {
			r.sites[body] = slices.Clone(scratch)
		}
		if kinds := r.storedCalls(body, r.funcs[i].Params); kinds != nil {
			r.callsStored[body] = kinds
		}
	}
	r.fixedPoint()
	r.storedKinds()
	r.interfaceMethods(pass)
	r.keptRuns = r.pairKeptRuns()
	for _, f := range r.funcs {
		if f.Obj == nil || f.sum.Fact.empty() {
			continue
		}
		fact := f.sum.Fact
		pass.ExportObjectFact(f.Obj, &fact)
	}
	final := *r
	final.memo = nil
	return &final, nil
}

// fixedPoint summarises every function of the package, iterating with a
// work list: a function is summarised again only when a summary it read
// has changed. Summaries only grow, so this ends. Function literals come
// after their enclosing function in r.funcs; taking the list from its end
// summarises them first. A function whose summary is read while it is
// still to be summarised is summarised then (see lookup): callees first,
// so that their callers rarely need a second time.
func (r *Result) fixedPoint() {
	m := r.memo
	m.queued = make([]bool, len(r.funcs))
	m.onStack = make([]bool, len(r.funcs))
	for i := range r.funcs {
		m.queue = append(m.queue, i)
		m.queued[i] = true
	}
	for len(m.queue) > 0 {
		i := m.queue[len(m.queue)-1]
		m.queue = m.queue[:len(m.queue)-1]
		if m.queued[i] { // else summarised when first read
			r.summarise(i)
		}
	}
}

// summarise computes the summary of r.funcs[i] and, if it changed, queues
// the functions that read the one it had.
func (r *Result) summarise(i int) {
	m := r.memo
	m.queued[i] = false
	f := &r.funcs[i]
	reader := m.computing
	m.computing, m.onStack[i] = i, true
	s := r.compute(f)
	m.computing, m.onStack[i] = reader, false
	if old := f.sum; old != nil && old.equal(s) {
		return
	}
	f.sum = s
	f.effect = r.effect(f.Ref(), s)
	for _, j := range f.dependents {
		if !m.queued[j] {
			m.queued[j] = true
			m.queue = append(m.queue, j)
		}
	}
}

// indexOf returns the index of f in r.funcs.
func (r *Result) indexOf(f *funcindex.Func) int {
	if lit, ok := f.Node.(*ast.FuncLit); ok {
		return r.litIndex[lit]
	}
	return r.funcIndex[f.Obj]
}

func (r *Result) addFunc(f function) int {
	i := len(r.funcs)
	if lit, ok := f.Node.(*ast.FuncLit); ok {
		r.litIndex[lit] = i
	} else {
		r.funcIndex[f.Obj] = i
	}
	r.funcs = append(r.funcs, f)
	return i
}

// compute summarises one function from the current summaries of the
// functions it calls.
func (r *Result) compute(f *function) *Summary {
	info := r.info
	body, params := f.Body, f.Params
	var sum Summary // on the stack: most functions' summaries are empty
	s := &sum
	var order dialOrder
	operand := func(e ast.Expr) int {
		if v := testmodel.VarOf(info, e); v != nil {
			return slices.Index(params, v)
		}
		return -1
	}
	// failsOn records that the function stops the test reached from v.
	failsOn := func(v *types.Var) {
		if v == nil {
			return
		}
		v = r.assertedFrom(v)
		if i := slices.Index(params, v); i >= 0 {
			s.FailsNow |= bit(i)
		} else if lit, ok := f.Node.(*ast.FuncLit); ok && declaredOutside(v, lit) && !slices.Contains(s.FailsFree, v) {
			s.FailsFree = append(s.FailsFree, v)
		}
	}
	// async records that the function runs its operands in b on another
	// goroutine, at n: after the early returns before n, if any.
	var guards []Guard
	async := func(b Bits, n ast.Node) {
		if b == 0 {
			return
		}
		if g := r.guardsBefore(f, n); s.Async == 0 {
			guards = g
		} else {
			guards = commonGuards(guards, g)
		}
		s.Async |= b
	}
	// runs returns the operand whose code calling fn runs: fn itself, or
	// what it is an element or a method of (see funcindex.RunOrigin).
	runs := func(fn ast.Expr) int {
		if v := r.Index.RunOrigin(fn); v != nil {
			return slices.Index(params, v)
		}
		return operand(fn)
	}
	// runsAsync records that the function runs the functions in vars on
	// another goroutine, at n: its own parameters among them are Async.
	runsAsync := func(vars []*types.Var, n ast.Node) {
		for _, v := range vars {
			async(bit(slices.Index(params, v)), n)
		}
	}
	for _, site := range r.Sites(body) {
		if site.Go != nil {
			// Runs on a new goroutine: only its function value matters,
			// and the function parameters a literal started so calls.
			async(bit(runs(site.Call.Fun)), site.Go)
			if site.Resolved {
				e := r.Effect(site.Ref)
				s.RunsStored = addKinds(addKinds(s.RunsStored, e.CallsStored), e.RunsStored)
			}
			if site.Resolved && site.Ref.Lit != nil {
				runsAsync(r.of(site.Ref).CallsFree, site.Go)
			}
			s.RunsStored = addKinds(s.RunsStored, r.runsStoredOnGoroutine(site.Go, params))
			continue
		}
		if lit, ok := f.Node.(*ast.FuncLit); ok {
			// f(), fns[i]() or s.Run() on a value declared outside: the
			// caller runs its code here.
			v := r.Index.RunOrigin(site.Call.Fun)
			if v == nil && !site.Resolved {
				v = testmodel.VarOf(info, site.Call.Fun)
			}
			if v != nil && declaredOutside(v, lit) && !slices.Contains(s.CallsFree, v) {
				s.CallsFree = append(s.CallsFree, v)
			}
		}
		if !site.Resolved && r.pollsCallback(f, site.Call) {
			s.Waits = true
			order.wait(site.Call.Pos())
		}
		if site.Parallel() != nil {
			continue // deferparallel's
		}
		if site.Run() != nil {
			s.Subtests |= r.runsAsBody(site.Call.Args[1], params, runs)
			continue
		}
		if t := site.FailNow(); t != nil {
			failsOn(testmodel.RootVar(info, t))
			continue
		}
		if t := site.HeldFailNow(); t != nil {
			// What a parameter holds, its callers say (check(t, err));
			// any other value, a field of one included (gomock's
			// c.t.Fatalf), must be shown to hold a testing value.
			if slices.Contains(params, testmodel.VarOf(info, t)) || r.HoldsTesting(t) {
				failsOn(testmodel.RootVar(info, t))
			}
			continue
		}
		if !site.Resolved {
			s.Calls |= bit(runs(site.Call.Fun)) // fn(msg) with fn a parameter
			continue
		}
		callee := r.Effect(site.Ref)
		for i, op := range site.Operands {
			if callee.FailsNow.Has(i) && r.StopsTest(op) {
				failsOn(testmodel.RootVar(info, op))
			}
		}
		for op := range r.AsyncOperands(site) {
			async(bit(runs(op)), site.Call)
			if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok {
				runsAsync(r.of(funcindex.Ref{Lit: lit}).CallsFree, site.Call)
			}
			if fref, ok := r.Index.Resolve(op); ok {
				e := r.Effect(fref)
				s.RunsStored = addKinds(addKinds(s.RunsStored, e.CallsStored), e.RunsStored)
			}
		}
		// ops.Enqueue(func() { pc.startReceiver() }): a callee that keeps
		// a function and runs what it keeps on its goroutines also starts
		// the goroutines that function starts (what it calls itself may
		// be the caller's own callbacks: not followed).
		for _, st := range callee.Stores {
			if st.Operand < len(site.Operands) && slices.Contains(callee.RunsStored, st.Kind) {
				if fref, ok := r.Index.Resolve(site.Operands[st.Operand]); ok {
					s.RunsStored = addKinds(s.RunsStored, r.Effect(fref).RunsStored)
				}
			}
		}
		for i, op := range site.Operands {
			if callee.Subtests.Has(i) {
				s.Subtests |= r.runsAsBody(op, params, runs)
			}
			if callee.Calls.Has(i) {
				s.Calls |= bit(runs(op))
				// h.handle(msg, h.fn): a kept callback, read from
				// state, runs here.
				if k := r.stateKind(op, r.info.TypeOf(op), params); k != "" && !r.resolved(op) {
					s.CallsStored = addKind(s.CallsStored, k)
				}
			}
		}
		for _, v := range callee.FailsFree {
			failsOn(v)
		}
		s.CallsStored = addKinds(s.CallsStored, callee.CallsStored)
		s.RunsStored = addKinds(s.RunsStored, callee.RunsStored)
		r.readiness(body, site, callee, s, &order)
	}
	if s.Async != 0 {
		copy(s.Unless[:], guards)
	}
	s.ReturnsFailing = r.returnsFailing(f, operand)
	s.CallsStored = addKinds(s.CallsStored, r.callsStored[body])
	if f.callbacks {
		r.stores(f, s)
	}
	// Receiving waits for another goroutine, unless it can never mean
	// readiness, or it is what the function's own server goroutines
	// signal before they listen or after they stop.
	var events []Event
	if r.MayStart(body) {
		events = r.Events(body)
	}
	for _, op := range r.chanOps[body] {
		if op.Recv && !r.never(op) && !signalledEarly(events, op.Ch) {
			s.Waits = true
			order.wait(op.Pos)
		}
	}
	// Not a function that listens itself: what it dials may be its own.
	s.DialsFirst = s.Waits && !s.Listens && !s.Binds && order.dialsFirst()
	// Unready: a start that nothing after it in the function waits for;
	// CallsPending: the function parameters it calls while one is
	// pending. Neither when it binds a listener of its own that the
	// requests would reach.
	if events != nil && !s.Binds {
		pending := r.Scan(events, nil, func(e Event, _ *Pending) bool {
			if e.Kind == EventCallParam {
				if i := operand(e.Call.Fun); i >= 0 {
					s.CallsPending |= bit(i)
				}
			}
			return false
		})
		s.Unready = pending.Definite() != nil
	}
	if s.isEmpty() {
		return &empty
	}
	kept := new(Summary)
	*kept = sum
	return kept
}

// runsAsBody returns the operands, among params, whose code body runs
// when it runs: body itself, or what a literal calls that it captured
// from them (t.Run(name, func(t *testing.T) { setT(t); f() }) runs f).
func (r *Result) runsAsBody(body ast.Expr, params []*types.Var, runs func(ast.Expr) int) Bits {
	b := bit(runs(body))
	if lit, ok := ast.Unparen(body).(*ast.FuncLit); ok {
		for _, v := range r.of(funcindex.Ref{Lit: lit}).CallsFree {
			b |= bit(slices.Index(params, v))
		}
	}
	return b
}

// returnsFailing returns the operands of f whose test the function f
// returns as its first result stops when called: a literal that stops a
// test it captured from f's parameters, or what a function f calls hands
// back (return testutil.Handler(t)), in any package.
func (r *Result) returnsFailing(f *function, operand func(ast.Expr) int) Bits {
	if f.Obj == nil {
		return 0
	}
	var b Bits
	for _, ret := range f.Returns {
		if len(ret.Results) == 0 || !funcindex.IsFunc(r.info.TypeOf(ret.Results[0])) {
			continue
		}
		res := ret.Results[0]
		for _, ref := range r.Index.Targets(res) {
			if ref.Lit != nil {
				for _, v := range r.of(ref).FailsFree {
					b |= bit(slices.Index(f.Params, v))
				}
			}
		}
		if call, ok := ast.Unparen(res).(*ast.CallExpr); ok {
			if ref, operands, ok := r.Index.Callee(call); ok && ref.Func != nil {
				fails := r.Effect(ref).ReturnsFailing
				for j, op := range operands {
					if fails.Has(j) {
						b |= bit(operand(op))
					}
				}
			}
		}
	}
	return b
}

// signalledEarly reports whether a start among events signals ch
// before its listener exists or after its server stopped.
func signalledEarly(events []Event, ch *types.Var) bool {
	for _, e := range events {
		if e.Kind == EventStart && ch != nil && slices.Contains(e.NotReady, ch) {
			return true
		}
	}
	return false
}

// assertedFrom returns the variable whose value v holds when v is given
// only that value's type assertion (if t, ok := t.(failNower); ok, as
// testify's FailNow does), else v.
func (r *Result) assertedFrom(v *types.Var) *types.Var {
	for range 4 {
		as := r.Index.Assignments(v)
		if len(as) != 1 || as[0].Value == nil {
			return v
		}
		ta, ok := ast.Unparen(as[0].Value).(*ast.TypeAssertExpr)
		if !ok || ta.Type == nil {
			return v
		}
		from := testmodel.RootVar(r.info, ta.X)
		if from == nil {
			return v
		}
		v = from
	}
	return v
}

// declaredOutside reports whether v is declared outside lit.
func declaredOutside(v *types.Var, lit *ast.FuncLit) bool {
	return v.Pos() < lit.Pos() || v.Pos() >= lit.End()
}
