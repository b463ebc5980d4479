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
// of it.
type Fact struct {
	// FailsNow holds the operands from which the function reaches a
	// testing value (t, h.t, s.T()) whose test it stops on the calling
	// goroutine: t.Fatal, t.FailNow, t.Skip, require.NoError, ...
	FailsNow Bits
	// Async holds the operands that are functions the function runs on
	// another goroutine: go f(), errgroup's Go(f), time.AfterFunc(d, f).
	Async Bits
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
	// Stores, CallsStored and RunsStored follow callbacks that a library
	// keeps and runs later (see stored.go): the operands the function
	// keeps as callbacks of a kind, the kinds of kept callbacks it calls
	// on the calling goroutine, and those it runs on a goroutine it starts.
	Stores      []Stored
	CallsStored []string
	RunsStored  []string
	// Unready: the function starts a server on another goroutine (go
	// srv.ListenAndServe(), go s.Run(ctx), g.Go(...)) and returns, or
	// blocks on what does not signal readiness (ctx.Done(), signals, an
	// error channel), without waiting for it to listen; and it binds no
	// listener of its own that the caller's requests would reach.
	Unready bool
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "failsnow=0 async=1 listens".
func (f *Fact) String() string {
	var parts []string
	if f.FailsNow != 0 {
		parts = append(parts, "failsnow="+f.FailsNow.String())
	}
	if f.Async != 0 {
		parts = append(parts, "async="+f.Async.String())
	}
	for _, flag := range []struct {
		set  bool
		name string
	}{{f.Listens, "listens"}, {f.Binds, "binds"}, {f.Dials, "dials"}, {f.Waits, "waits"}, {f.Unready, "unready"}} {
		if flag.set {
			parts = append(parts, flag.name)
		}
	}
	if len(f.Stores) > 0 {
		parts = append(parts, "stores="+storedString(f.Stores))
	}
	if len(f.CallsStored) > 0 {
		parts = append(parts, "callsstored="+kindsString(f.CallsStored))
	}
	if len(f.RunsStored) > 0 {
		parts = append(parts, "runsstored="+kindsString(f.RunsStored))
	}
	return strings.Join(parts, " ")
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
	// Sleeps and RunsTests are known of library functions only (see
	// knowledge.Behaviour): time.Sleep, (*testing.M).Run.
	Sleeps, RunsTests bool
	// Locks and Unlocks are known of a mutex's Lock and Unlock.
	Locks, Unlocks bool
	// FailsFree holds, for a function literal, the variables declared
	// outside it that reach a testing value whose test it stops.
	FailsFree []*types.Var
	// CallsFree holds, for a function literal, the function variables
	// declared outside it that it calls.
	CallsFree []*types.Var
}

func (f *Fact) empty() bool {
	return f.FailsNow == 0 && f.Async == 0 &&
		len(f.Stores) == 0 && len(f.CallsStored) == 0 && len(f.RunsStored) == 0 &&
		!f.Listens && !f.Binds && !f.Dials && !f.Waits && !f.Unready
}

// isEmpty reports whether s says nothing.
func (s *Summary) isEmpty() bool {
	return s.Fact.empty() && !s.Sleeps && !s.RunsTests && !s.Locks && !s.Unlocks &&
		len(s.FailsFree) == 0 && len(s.CallsFree) == 0
}

func (s *Summary) equal(o *Summary) bool {
	return s.FailsNow == o.FailsNow && s.Async == o.Async && slices.Equal(s.FailsFree, o.FailsFree) && slices.Equal(s.CallsFree, o.CallsFree) &&
		slices.Equal(s.Stores, o.Stores) && slices.Equal(s.CallsStored, o.CallsStored) && slices.Equal(s.RunsStored, o.RunsStored) &&
		s.Listens == o.Listens && s.Binds == o.Binds && s.Dials == o.Dials && s.Waits == o.Waits && s.Unready == o.Unready
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

	// The package's functions with their summaries, and the index of
	// each.
	funcs     []function
	index     map[ast.Node]int
	funcIndex map[*types.Func]int // the index of each declared function

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
	computing int
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
		i, local = r.index[ref.Lit]
	case ref.Func == nil:
		return &empty, -1
	default:
		i, local = r.funcIndex[ref.Func.Origin()]
	}
	if local {
		f := &r.funcs[i]
		if m := r.memo; m != nil && m.computing >= 0 && m.computing != i && (len(f.dependents) == 0 || f.dependents[len(f.dependents)-1] != m.computing) {
			f.dependents = append(f.dependents, m.computing)
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
		Index:        pass.ResultOf[funcindex.Analyzer].(*funcindex.Index),
		info:         pass.TypesInfo,
		pkg:          pass.Pkg,
		std:          knowledge.IsStd(pass.Pkg.Path()),
		imported:     make(map[*types.Func]*Summary),
		sites:        make(map[*ast.BlockStmt][]Site),
		chanOps:      make(map[*ast.BlockStmt][]chanOp),
		resultVar:    make(map[*ast.CallExpr]*types.Var),
		errVar:       make(map[*ast.CallExpr]*types.Var),
		signalChans:  make(map[*types.Var]bool),
		callsStored:  make(map[*ast.BlockStmt][]string),
		flows:        make(map[*ast.BlockStmt][]ast.Node),
		ifaceMethods: make(map[*types.Func]*Summary),
		index:        make(map[ast.Node]int),
		funcIndex:    make(map[*types.Func]int),
	}
	if knowledge.KnownWithoutCode(pass.Pkg) {
		return r, nil
	}
	m := &memo{
		effects:   make(map[*types.Func]*Summary),
		kinds:     make(map[types.Type][]string),
		kindNames: make(map[types.Type]string),
		computing: -1,
	}
	r.memo, r.effects, r.kinds, r.kindNames = m, m.effects, m.kinds, m.kindNames
	r.importFacts(pass)
	r.walk()
	for i := range r.funcs {
		body := r.funcs[i].Body
		r.sites[body] = r.resolveSites(body)
		if kinds := r.storedCalls(body, r.funcs[i].Params); kinds != nil {
			r.callsStored[body] = kinds
		}
	}
	r.fixedPoint()
	r.storedKinds()
	r.interfaceMethods(pass)
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
// summarises them first.
func (r *Result) fixedPoint() {
	queue := make([]int, len(r.funcs))
	queued := make([]bool, len(r.funcs))
	for i := range r.funcs {
		queue[i] = i
		queued[i] = true
	}
	for len(queue) > 0 {
		i := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		queued[i] = false
		f := &r.funcs[i]
		r.memo.computing = i
		s := r.compute(f)
		r.memo.computing = -1
		if old := f.sum; old != nil && old.equal(s) {
			continue
		}
		f.sum = s
		f.effect = r.effect(f.Ref(), s)
		for _, j := range f.dependents {
			if !queued[j] {
				queued[j] = true
				queue = append(queue, j)
			}
		}
	}
}

func (r *Result) addFunc(f function) int {
	i := len(r.funcs)
	r.index[f.Node] = i
	if f.Obj != nil {
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
		if i := slices.Index(params, v); i >= 0 {
			s.FailsNow |= bit(i)
		} else if lit, ok := f.Node.(*ast.FuncLit); ok && declaredOutside(v, lit) && !slices.Contains(s.FailsFree, v) {
			s.FailsFree = append(s.FailsFree, v)
		}
	}
	// runsAsync records that the function runs the functions in vars on
	// another goroutine: its own parameters among them are Async.
	runsAsync := func(vars []*types.Var) {
		for _, v := range vars {
			s.Async |= bit(slices.Index(params, v))
		}
	}
	for _, site := range r.Sites(body) {
		if site.Go != nil {
			// Runs on a new goroutine: only its function value matters,
			// and the function parameters a literal started so calls.
			if v := testmodel.VarOf(info, site.Call.Fun); v != nil {
				s.Async |= bit(slices.Index(params, v))
			}
			if site.Resolved {
				e := r.Effect(site.Ref)
				s.RunsStored = addKinds(addKinds(s.RunsStored, e.CallsStored), e.RunsStored)
			}
			if site.Resolved && site.Ref.Lit != nil {
				runsAsync(r.of(site.Ref).CallsFree)
			}
			continue
		}
		if lit, ok := f.Node.(*ast.FuncLit); ok && !site.Resolved {
			// f() on a function declared outside: the caller runs it here.
			if v := testmodel.VarOf(info, site.Call.Fun); v != nil && declaredOutside(v, lit) && !slices.Contains(s.CallsFree, v) {
				s.CallsFree = append(s.CallsFree, v)
			}
		}
		if !site.Resolved && r.pollsCallback(f, site.Call) {
			s.Waits = true
		}
		if site.Parallel() != nil {
			continue // deferparallel's
		}
		if t := site.FailNow(); t != nil {
			failsOn(testmodel.RootVar(info, t))
			continue
		}
		if !site.Resolved {
			continue
		}
		callee := r.Effect(site.Ref)
		for i, op := range site.Operands {
			if callee.FailsNow.Has(i) && r.StopsTest(op) {
				failsOn(testmodel.RootVar(info, op))
			}
			if callee.Async.Has(i) {
				s.Async |= bit(operand(op))
				if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok {
					runsAsync(r.of(funcindex.Ref{Lit: lit}).CallsFree)
				}
				if fref, ok := r.Index.Resolve(op); ok {
					e := r.Effect(fref)
					s.RunsStored = addKinds(addKinds(s.RunsStored, e.CallsStored), e.RunsStored)
				}
			}
		}
		for _, v := range callee.FailsFree {
			failsOn(v)
		}
		s.CallsStored = addKinds(s.CallsStored, callee.CallsStored)
		s.RunsStored = addKinds(s.RunsStored, callee.RunsStored)
		r.readiness(body, site, callee, s)
	}
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
		}
	}
	// Unready: a start that nothing after it in the function waits for.
	if events != nil && !s.Binds && r.Scan(events, nil, nil).Definite() != nil {
		s.Unready = true
	}
	if s.isEmpty() {
		return &empty
	}
	kept := new(Summary)
	*kept = sum
	return kept
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

// declaredOutside reports whether v is declared outside lit.
func declaredOutside(v *types.Var, lit *ast.FuncLit) bool {
	return v.Pos() < lit.Pos() || v.Pos() >= lit.End()
}
