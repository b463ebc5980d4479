// Package summary computes, once per package, what each function does to
// the tests whose testing values it receives, and exports it as facts so
// that helpers in other packages are understood as well as local ones.
//
// A summary is a set of small monotone facts over operands (the receiver,
// if any, then the parameters): "calls t.Parallel on operand i", "starts on
// operand i parallel subtests that use operands U". Summaries of a package's
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
	// Parallel holds the operands on whose test the function calls
	// t.Parallel: a subtest whose body this is runs in parallel.
	Parallel Bits
	// Subtests lists, per operand that is a *testing.T, the operands that
	// the parallel subtests it starts on that operand's test use.
	Subtests []SubtestUses
}

// SubtestUses says that the function starts, on the test of operand T,
// subtests that may call t.Parallel and that use the operands in Uses.
type SubtestUses struct {
	T    int
	Uses Bits
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// String shows the fact as analysistest expectations spell it:
// "parallel=0 subtests=0:uses=1,2".
func (f *Fact) String() string {
	var parts []string
	if f.Parallel != 0 {
		parts = append(parts, "parallel="+f.Parallel.String())
	}
	for _, s := range f.Subtests {
		parts = append(parts, "subtests="+strconv.Itoa(s.T)+":uses="+s.Uses.String())
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

// Summary is a function's Fact plus what only matters inside its package.
type Summary struct {
	Fact
	// Global reports that calling the function changes process-wide
	// state: it assigns a package-level variable, or calls os.Setenv and
	// the like, itself or through a test helper or local closure.
	Global bool
}

func (s *Summary) addSubtests(t int, uses Bits) {
	for i := range s.Subtests {
		if s.Subtests[i].T == t {
			s.Subtests[i].Uses |= uses
			return
		}
	}
	s.Subtests = append(s.Subtests, SubtestUses{T: t, Uses: uses})
	slices.SortFunc(s.Subtests, func(a, b SubtestUses) int { return a.T - b.T })
}

func (s *Summary) equal(o *Summary) bool {
	return s.Parallel == o.Parallel && s.Global == o.Global && slices.Equal(s.Subtests, o.Subtests)
}

var empty Summary

// Result gives the summaries of a package's functions, and of the functions
// it calls in other packages.
type Result struct {
	pass      *analysis.Pass
	Funcs     *testmodel.Funcs
	local     map[ast.Node]*Summary // *ast.FuncDecl or *ast.FuncLit
	imported  map[*types.Func]*Summary
	inTest    map[*ast.FuncDecl]bool // declared in a _test.go file
	resources map[*ast.FuncDecl]*Resources
}

// Of returns the summary of the code r names; never nil.
func (r *Result) Of(ref testmodel.Ref) *Summary {
	if ref.Lit != nil {
		if s := r.local[ref.Lit]; s != nil {
			return s
		}
		return &empty
	}
	if ref.Func == nil {
		return &empty
	}
	if d := r.Funcs.Decl(ref.Func); d != nil {
		if s := r.local[d]; s != nil {
			return s
		}
		return &empty
	}
	if s, ok := r.imported[ref.Func]; ok {
		return s
	}
	s := &empty
	var f Fact
	if ref.Func.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(ref.Func, &f) {
		s = &Summary{Fact: f}
	}
	r.imported[ref.Func] = s
	return s
}

func run(pass *analysis.Pass) (any, error) {
	r := &Result{
		pass:      pass,
		Funcs:     testmodel.NewFuncs(pass.TypesInfo, pass.Files),
		local:     make(map[ast.Node]*Summary),
		imported:  make(map[*types.Func]*Summary),
		inTest:    make(map[*ast.FuncDecl]bool),
		resources: make(map[*ast.FuncDecl]*Resources),
	}
	type function struct {
		node   ast.Node
		decl   *ast.FuncDecl // the declaration the function is in
		body   *ast.BlockStmt
		params []*types.Var
	}
	var funcs []function
	for _, file := range pass.Files {
		inTest := strings.HasSuffix(pass.Fset.File(file.Pos()).Name(), "_test.go")
		for _, d := range file.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if fn == nil {
				continue
			}
			r.inTest[decl] = inTest
			funcs = append(funcs, function{decl, decl, decl.Body, r.Funcs.Params(testmodel.Ref{Func: fn})})
			ast.Inspect(decl.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok {
					funcs = append(funcs, function{lit, decl, lit.Body, r.Funcs.Params(testmodel.Ref{Lit: lit})})
				}
				return true
			})
		}
	}

	// Iterate to a fixed point: every summary only grows, so this ends;
	// the bound guards against a mistake turning into a hang.
	for range 50 {
		changed := false
		for _, f := range funcs {
			s := r.compute(f.decl, f.body, f.params)
			if old := r.local[f.node]; old == nil || !old.equal(s) {
				r.local[f.node] = s
				changed = true
			}
		}
		if !changed {
			break
		}
	}

	for _, f := range funcs {
		decl, ok := f.node.(*ast.FuncDecl)
		if !ok {
			continue
		}
		s := r.local[decl]
		if s.Parallel == 0 && len(s.Subtests) == 0 {
			continue
		}
		if fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
			fact := s.Fact
			pass.ExportObjectFact(fn, &fact)
		}
	}
	return r, nil
}

// compute summarises one function from the current summaries of the
// functions it calls.
func (r *Result) compute(decl *ast.FuncDecl, body *ast.BlockStmt, params []*types.Var) *Summary {
	info := r.pass.TypesInfo
	s := new(Summary)
	operand := func(e ast.Expr) int {
		if v := testmodel.VarOf(info, e); v != nil {
			return slices.Index(params, v)
		}
		return -1
	}
	OwnCalls(body, func(call *ast.CallExpr) {
		if t, ok := testmodel.ParallelCall(info, call); ok {
			s.Parallel |= bit(operand(t))
			return
		}
		if IsProcessWideSetter(info, call) {
			s.Global = true
		}
		ref, operands, ok := r.Funcs.Callee(call)
		if !ok {
			return
		}
		callee := r.Of(ref)
		for i, op := range operands {
			if callee.Parallel.Has(i) {
				s.Parallel |= bit(operand(op))
			}
		}
		if r.Global(ref) {
			s.Global = true
		}
	})
	for _, st := range r.ParallelSubtests(body) {
		t := operand(st.T)
		if t < 0 {
			continue
		}
		// A subtest using url := srv.URL uses the srv it was given.
		var uses Bits
		for _, v := range st.Uses {
			r.Resources(decl).reach(v, func(w *types.Var) bool {
				uses |= bit(slices.Index(params, w))
				return true
			})
		}
		s.addSubtests(t, uses)
	}
	if assignsPackageLevel(info, body) {
		s.Global = true
	}
	return s
}

// Global reports whether calling ref changes process-wide state, as far as
// a test restoring that state with defer is concerned.
func (r *Result) Global(ref testmodel.Ref) bool {
	return r.Of(ref).Global && r.followsGlobal(ref)
}

// followsGlobal reports whether a call of ref passes on its Global bit: only
// test helpers (functions in _test.go files) and local closures do. A method
// of the code under test that touches a package-level counter is not a
// process-wide setting that a test restores.
func (r *Result) followsGlobal(ref testmodel.Ref) bool {
	if ref.Lit != nil {
		return true
	}
	d := r.Funcs.Decl(ref.Func)
	return d != nil && r.inTest[d]
}

// OwnCalls calls f for each call in body that runs as part of body itself,
// in source order: not those inside function literals, which run when (and
// where) the literal is called.
func OwnCalls(body ast.Node, f func(*ast.CallExpr)) {
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			f(n)
		}
		return true
	})
}
