package summary

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Effect returns what a call of ref does: its summary, computed in this
// package or imported as a fact, with what is known of library functions
// without their code folded in (knowledge.Of). It is the one answer to
// "what does calling this do"; never nil, and not to be modified.
//
// For a function whose readiness is known by name (a request, a listen, a
// wait, a sleep, m.Run), the readiness facts are the known ones only: its
// own code (a request waits for its connection) does not mean what it
// would in a test. The standard library's other functions do not wait,
// for the same reason: their internal waits are no readiness signal for a
// test's server.
func (r *Result) Effect(ref funcindex.Ref) *Summary {
	s, i := r.lookup(ref)
	if i >= 0 {
		if e := r.funcs[i].effect; e != nil {
			return e // kept with the function's summary
		}
		return s
	}
	// Another package's function has one effect for the whole pass: the
	// one computed first while the pass ran.
	imported := ref.Func != nil && ref.Lit == nil
	if imported {
		if e, ok := r.effects[ref.Func.Origin()]; ok {
			return e
		}
	}
	e := r.effect(ref, s)
	if imported && r.memo != nil {
		r.memo.effects[ref.Func.Origin()] = e
	}
	return e
}

// effect is Effect, for s, ref's summary.
func (r *Result) effect(ref funcindex.Ref, s *Summary) *Summary {
	k := knowledge.Of(ref.Func)
	stdWaits := s.Waits && ref.Func != nil && ref.Func.Pkg() != nil && knowledge.IsStd(ref.Func.Pkg().Path()) && !r.inTestFile(ref.Func)
	keep, keeps := knowledge.Keeps(ref.Func)
	runsKept := knowledge.RunsKept(ref.Func)
	if k == (knowledge.Behaviour{}) && !stdWaits && !keeps && runsKept == "" {
		return s
	}
	e := *s
	if keeps {
		e.Stores = slices.Clone(e.Stores)
		e.addStored(Stored{Operand: keep.Operand, Kind: keep.Kind, Into: keep.Into})
	}
	if runsKept != "" {
		e.RunsStored = addKind(slices.Clone(e.RunsStored), runsKept)
	}
	e.FailsNow |= Bits(k.FailsNow)
	e.Async = (e.Async | Bits(k.Async)) &^ Bits(k.FailNowSafe)
	e.Locks, e.Unlocks = k.Locks, k.Unlocks
	switch {
	case k.KnowsReadiness():
		e.Listens, e.Binds, e.Dials, e.Waits, e.Sleeps, e.RunsTests = k.Listens, k.Binds, k.Dials, k.Waits, k.Sleeps, k.RunsTests
		e.Unready = false
	case stdWaits:
		e.Waits = false
	}
	return &e
}

// StopsTest reports whether calling FailNow through op, an operand that a
// function's FailsNow says it stops (require.NoError(op, err)), can stop a
// test: op is a testing value, or an interface that may hold one; or a
// type whose FailNow method reaches a testing value's. testify's
// *assert.CollectT and a retry harness's R end only the goroutine they are
// made for, by design.
func (r *Result) StopsTest(op ast.Expr) bool {
	t := r.info.TypeOf(op)
	if t == nil || testmodel.IsTestingType(t) {
		return true
	}
	if _, isIface := t.Underlying().(*types.Interface); isIface {
		return true
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "FailNow")
	fn, ok := obj.(*types.Func)
	if !ok {
		return true
	}
	if testmodel.IsFailNowMethod(fn) {
		return true // promoted from an embedded *testing.T
	}
	return r.Effect(funcindex.Ref{Func: fn.Origin()}).FailsNow.Has(0)
}

// HoldsTesting reports whether the interface value e may hold a testing
// value: one of the concrete values the package gives it is one
// (funcindex.MayHold), directly or through a constructor's parameter.
func (r *Result) HoldsTesting(e ast.Expr) bool {
	for _, t := range r.Index.MayHold(e) {
		if testmodel.IsTestingType(t) {
			return true
		}
	}
	return false
}

// inTestFile reports whether fn is declared in a _test.go file of this
// package: a test helper of a standard library package (net's localServer.teardown), whose
// code is read, not tabled.
func (r *Result) inTestFile(fn *types.Func) bool {
	f := r.Index.FuncOf(fn)
	return f != nil && f.InTest
}
