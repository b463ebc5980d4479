package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// parallelFact is what a function does to make tests parallel, as its
// callers in other packages see it. It is exported for the functions they
// can call that do any of it.
type parallelFact struct {
	// Parallel holds the operands on whose test the function calls
	// t.Parallel: a subtest whose body this is runs in parallel.
	Parallel summary.Bits
	// Subtests lists, per operand that is a *testing.T, the operands that
	// the parallel subtests it starts on that operand's test use.
	Subtests []subtestUses
}

// subtestUses says that the function starts, on the test of operand T,
// subtests that may call t.Parallel and that use the operands in Uses.
type subtestUses struct {
	T    int
	Uses summary.Bits
}

// AFact marks parallelFact as an analysis fact.
func (*parallelFact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "parallel=0 subtests=0:uses=1,2".
func (f *parallelFact) String() string {
	var parts []string
	if f.Parallel != 0 {
		parts = append(parts, "parallel="+f.Parallel.String())
	}
	for _, s := range f.Subtests {
		parts = append(parts, "subtests="+strconv.Itoa(s.T)+":uses="+s.Uses.String())
	}
	return strings.Join(parts, " ")
}

func (f *parallelFact) equal(o *parallelFact) bool {
	return f.Parallel == o.Parallel && slices.Equal(f.Subtests, o.Subtests)
}

func (f *parallelFact) addSubtests(t int, uses summary.Bits) {
	for i := range f.Subtests {
		if f.Subtests[i].T == t {
			f.Subtests[i].Uses |= uses
			return
		}
	}
	f.Subtests = append(f.Subtests, subtestUses{T: t, Uses: uses})
	slices.SortFunc(f.Subtests, func(a, b subtestUses) int { return a.T - b.T })
}

// none is the fact of a function that makes no test parallel.
var none parallelFact

func bit(i int) summary.Bits {
	if i < 0 || i >= 64 {
		return 0
	}
	return 1 << i
}

// parallelism is what a package's functions do to make tests parallel and
// to process-wide state. The pass builds it, checks the package with it
// and drops it: nothing outside the pass sees it.
type parallelism struct {
	index *funcindex.Index
	sums  *summary.Result
	info  *types.Info
	// imported holds the facts of other packages' functions.
	imported map[*types.Func]*parallelFact
	// sites holds the calls of bodies that call other packages' helpers
	// that only this fact describes (summary keeps no site for them);
	// other bodies' are summary's.
	sites map[*ast.BlockStmt][]summary.Site
	// The package's functions that may make a test parallel (see
	// candidates), the position of each in funcs, and the fact of each
	// (nil: none) as the fixed point computed it. Every other function's
	// fact is none.
	funcs []*funcindex.Func
	order map[*funcindex.Func]int
	facts []*parallelFact
	// models holds the resource model of each outermost function.
	models map[ast.Node]*resources
	// changes memoises changesState.
	changes map[*funcindex.Func]bool

	// While the fixed point runs: the functions whose facts read each
	// one's, and the function being computed (-1: none).
	dependents [][]int32
	computing  int
}

// newParallelism computes the facts of the package's functions and
// exports those that other packages can use.
func newParallelism(pass *analysis.Pass, sums *summary.Result) *parallelism {
	p := &parallelism{
		index:     sums.Index,
		sums:      sums,
		info:      pass.TypesInfo,
		imported:  make(map[*types.Func]*parallelFact),
		models:    make(map[ast.Node]*resources),
		changes:   make(map[*funcindex.Func]bool),
		computing: -1,
	}
	for _, of := range pass.AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		fact, isFact := of.Fact.(*parallelFact)
		if ok && isFact && fn.Pkg() != pass.Pkg {
			p.imported[fn] = fact
		}
	}
	if len(p.imported) > 0 {
		p.addHelperSites()
	}
	p.funcs = p.candidates()
	if len(p.funcs) == 0 {
		return p
	}
	p.order = make(map[*funcindex.Func]int, len(p.funcs))
	for i, f := range p.funcs {
		p.order[f] = i
	}
	p.fixedPoint()
	for i, f := range p.funcs {
		if fact := p.facts[i]; fact != nil && p.usableElsewhere(f) {
			pass.ExportObjectFact(f.Obj, fact)
		}
	}
	return p
}

// candidates returns, in the index's order, the functions whose fact may
// not be none: those that call t.Parallel or t.Run, or another package's
// helper with a fact, or (at any depth) a candidate. Every fact grows from
// such calls, and most functions make none: the fixed point then looks
// only at the few that may.
func (p *parallelism) candidates() []*funcindex.Func {
	all := p.index.Funcs()
	in := make(map[*funcindex.Func]bool)
	member := func(ref funcindex.Ref) bool {
		if f := p.funcOf(ref); f != nil {
			return in[f]
		}
		return p.helper(ref)
	}
	for changed := true; changed; {
		changed = false
		for i := len(all) - 1; i >= 0; i-- { // literals first, as they come after their function
			f := all[i]
			if in[f] {
				continue
			}
			for _, site := range p.sitesOf(f.Body) {
				if site.Parallel() != nil || site.Run() != nil || site.Resolved && member(site.Ref) {
					in[f], changed = true, true
					break
				}
			}
		}
	}
	if len(in) == 0 {
		return nil
	}
	funcs := make([]*funcindex.Func, 0, len(in))
	for _, f := range all {
		if in[f] {
			funcs = append(funcs, f)
		}
	}
	return funcs
}

// usableElsewhere reports whether code of other packages can call f by
// its name: f is an exported function or method, and no test function
// (which only the go tool calls).
func (p *parallelism) usableElsewhere(f *funcindex.Func) bool {
	if f.Obj == nil || !f.Obj.Exported() {
		return false
	}
	decl, ok := f.Node.(*ast.FuncDecl)
	return ok && !(f.InTest && testmodel.TestFuncKind(p.info, decl) != "")
}

// fixedPoint computes the fact of every function of the package, with a
// work list: a function is computed again only when a fact it read has
// changed. Facts only grow, so this ends. Function literals come after
// their enclosing function in funcs; taking the list from its end
// computes them first.
func (p *parallelism) fixedPoint() {
	n := len(p.funcs)
	p.facts = make([]*parallelFact, n)
	p.dependents = make([][]int32, n)
	queue := make([]int32, n)
	queued := make([]bool, n)
	for i := range n {
		queue[i] = int32(i)
		queued[i] = true
	}
	for len(queue) > 0 {
		i := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		queued[i] = false
		p.computing = int(i)
		fact := p.compute(p.funcs[i])
		p.computing = -1
		if old := p.facts[i]; old == fact || old != nil && fact != nil && old.equal(fact) {
			continue
		}
		p.facts[i] = fact
		for _, j := range p.dependents[i] {
			if !queued[j] {
				queued[j] = true
				queue = append(queue, j)
			}
		}
	}
	p.dependents = nil
}

// compute is the fact of f, from the current facts of what it calls; nil
// for none.
func (p *parallelism) compute(f *funcindex.Func) *parallelFact {
	info, params := p.info, f.Params
	operand := func(e ast.Expr) int {
		if v := testmodel.VarOf(info, e); v != nil {
			return slices.Index(params, v)
		}
		return -1
	}
	var fact parallelFact
	for _, site := range p.sitesOf(f.Body) {
		if site.Go != nil {
			continue
		}
		if t := site.Parallel(); t != nil {
			fact.Parallel |= bit(operand(t))
			continue
		}
		if !site.Resolved {
			continue
		}
		callee := p.of(site.Ref)
		for i, op := range site.Operands {
			if callee.Parallel.Has(i) {
				fact.Parallel |= bit(operand(op))
			}
		}
	}
	// Which operands the subtests use matters only for operands that can
	// stand for a resource: a test function's lone t cannot.
	withUses := slices.ContainsFunc(params, func(v *types.Var) bool { return !ignored(v) })
	for _, st := range p.parallelSubtests(f.Body, withUses, 0) {
		t := operand(st.T)
		if t < 0 {
			continue
		}
		// A subtest using url := srv.URL uses the srv it was given.
		var uses summary.Bits
		for _, v := range st.Uses {
			p.resourcesOf(f.Root().Node).reach(v, func(w *types.Var) bool {
				uses |= bit(slices.Index(params, w))
				return true
			})
		}
		fact.addSubtests(t, uses)
	}
	if fact.Parallel == 0 && len(fact.Subtests) == 0 {
		return nil
	}
	return &fact
}

// of returns the fact of the code ref names, as this package computed it
// or another exported it; never nil. While the fixed point runs, it notes
// that the function being computed depends on it.
func (p *parallelism) of(ref funcindex.Ref) *parallelFact {
	if f := p.funcOf(ref); f != nil {
		i, ok := p.order[f]
		if !ok {
			return &none
		}
		if c := p.computing; c >= 0 && c != i {
			if deps := p.dependents[i]; len(deps) == 0 || deps[len(deps)-1] != int32(c) {
				p.dependents[i] = append(deps, int32(c))
			}
		}
		if fact := p.facts[i]; fact != nil {
			return fact
		}
		return &none
	}
	if ref.Func != nil {
		if fact, ok := p.imported[ref.Func.Origin()]; ok {
			return fact
		}
	}
	return &none
}

// funcOf returns the package's function that ref names; nil if its code
// is elsewhere.
func (p *parallelism) funcOf(ref funcindex.Ref) *funcindex.Func {
	switch {
	case ref.Lit != nil:
		return p.index.Func(ref.Lit)
	case ref.Func != nil:
		return p.index.FuncOf(ref.Func)
	}
	return nil
}

// sitesOf returns the calls that body itself makes and that may matter,
// resolved.
func (p *parallelism) sitesOf(body *ast.BlockStmt) []summary.Site {
	if sites, ok := p.sites[body]; ok {
		return sites
	}
	return p.sums.Sites(body)
}

// addHelperSites adds to sites the bodies that call other packages'
// helpers with a fact: those that name one in a call, or, when the package
// also uses one as a value (which a call through a variable may run),
// every body.
func (p *parallelism) addHelperSites() {
	uses := 0
	for _, obj := range p.info.Uses {
		if fn, ok := obj.(*types.Func); ok && p.imported[fn.Origin()] != nil {
			uses++
		}
	}
	if uses == 0 {
		return
	}
	calls := 0
	var bodies []*ast.BlockStmt
	for _, f := range p.index.Funcs() {
		named := false
		for _, call := range p.index.Calls(f.Body) {
			if fn, ok := p.info.Uses[calleeIdent(call.Fun)].(*types.Func); ok && p.imported[fn.Origin()] != nil {
				calls++
				named = true
			}
		}
		if named {
			bodies = append(bodies, f.Body)
		}
	}
	if calls < uses {
		bodies = bodies[:0]
		for _, f := range p.index.Funcs() {
			bodies = append(bodies, f.Body)
		}
	}
	p.sites = make(map[*ast.BlockStmt][]summary.Site)
	for _, body := range bodies {
		if sites, ok := p.withHelpers(body); ok {
			p.sites[body] = sites
		}
	}
}

// calleeIdent returns the name that fun, a called expression, ends with:
// f, pkg.F, x.M, f[T]; nil if none.
func calleeIdent(fun ast.Expr) *ast.Ident {
	for {
		switch e := ast.Unparen(fun).(type) {
		case *ast.Ident:
			return e
		case *ast.SelectorExpr:
			return e.Sel
		case *ast.IndexExpr:
			fun = e.X
		case *ast.IndexListExpr:
			fun = e.X
		default:
			return nil
		}
	}
}

// withHelpers returns summary's sites of body with those of the calls of
// other packages' functions that have a parallelFact, and nothing else
// that summary would keep, in the order summary gives its own: by call,
// a call's own site before those of the functions it may run. It reports
// false when there are none to add.
func (p *parallelism) withHelpers(body *ast.BlockStmt) ([]summary.Site, bool) {
	base := p.sums.Sites(body)
	var out []summary.Site
	added := false
	next := 0
	for _, call := range p.index.Calls(body) {
		own := next
		for next < len(base) && base[next].Call == call {
			next++
		}
		kept := base[own:next]
		if testingCall(p.info, call) {
			out = append(out, kept...)
			continue
		}
		if ref, operands, ok := p.index.Callee(call); ok {
			if len(kept) == 0 && p.helper(ref) {
				out = append(out, summary.Site{Call: call, Go: p.index.GoOf(call), Resolved: true, Ref: ref, Operands: operands})
				added = true
			}
			out = append(out, kept...)
			continue
		}
		if len(kept) > 0 && !kept[0].Resolved {
			out = append(out, kept[0])
			kept = kept[1:]
		}
		for _, ref := range p.index.Targets(call.Fun) {
			switch {
			case len(kept) > 0 && sameRef(kept[0].Ref, ref):
				out = append(out, kept[0])
				kept = kept[1:]
			case p.helper(ref):
				t := summary.Site{Call: call, Go: p.index.GoOf(call), Resolved: true, Ref: ref}
				t.Operands = ref.Operands(call.Args)
				out = append(out, t)
				added = true
			}
		}
		out = append(out, kept...) // none, as summary takes them from the same Targets
	}
	return out, added
}

// helper reports whether ref is another package's function with a
// parallelFact.
func (p *parallelism) helper(ref funcindex.Ref) bool {
	return ref.Lit == nil && ref.Func != nil && p.index.FuncOf(ref.Func) == nil && p.imported[ref.Func.Origin()] != nil
}

// testingCall reports whether call is one that summary's sites keep as a
// testing value's method, unresolved.
func testingCall(info *types.Info, call *ast.CallExpr) bool {
	if _, _, ok := testmodel.FailNowCall(info, call); ok {
		return true
	}
	_, _, ok := testmodel.TestingMethod(info, call)
	return ok
}

func sameRef(a, b funcindex.Ref) bool {
	return a.Func == b.Func && a.Lit == b.Lit && slices.Equal(a.Bound, b.Bound)
}

// processState reports whether a call of ref changes state that every
// goroutine of the process shares: it assigns a package-level variable,
// or calls os.Setenv and the like, itself or through a test helper or a
// local closure. A function of the code under test that touches a
// package-level counter is not a process-wide setting that a test
// restores, so only test helpers (functions in _test.go files) and
// closures pass on what their code does.
func (p *parallelism) processState(ref funcindex.Ref) bool {
	if knowledge.Of(ref.Func).SetsProcessState {
		return true
	}
	f := p.funcOf(ref)
	return f != nil && followsProcessState(f) && p.changesState(f)
}

func followsProcessState(f *funcindex.Func) bool {
	_, lit := f.Node.(*ast.FuncLit)
	return lit || f.InTest
}

// changesState reports whether f's own code changes process-wide state,
// or calls (not on a goroutine) what does, as processState says. It is a
// search of the calls: a function found to change state is memoised, and
// when none is found, so is every function the search saw.
func (p *parallelism) changesState(f *funcindex.Func) bool {
	seen := make(map[*funcindex.Func]bool)
	var search func(f *funcindex.Func) bool
	search = func(f *funcindex.Func) bool {
		if known, ok := p.changes[f]; ok {
			return known
		}
		if seen[f] {
			return false // on the way: the search finds it elsewhere, if at all
		}
		seen[f] = true
		found := assignsPackageVar(p.info, f.Body)
		for _, site := range p.sums.Sites(f.Body) {
			if found {
				break
			}
			if site.Go != nil || !site.Resolved {
				continue
			}
			if knowledge.Of(site.Ref.Func).SetsProcessState {
				found = true
			} else if g := p.funcOf(site.Ref); g != nil && followsProcessState(g) {
				found = search(g)
			}
		}
		if found {
			p.changes[f] = true
		}
		return found
	}
	if search(f) {
		return true
	}
	for g := range seen {
		p.changes[g] = false
	}
	return false
}

// assignsPackageVar reports whether body itself (not a function literal
// in it) assigns a package-level variable.
func assignsPackageVar(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	packageLevel := func(e ast.Expr) {
		if testmodel.IsPackageLevel(testmodel.RootVar(info, e)) {
			found = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					packageLevel(lhs)
				}
			}
		case *ast.IncDecStmt:
			packageLevel(n.X)
		}
		return !found
	})
	return found
}
