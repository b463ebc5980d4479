package serverready

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
)

// freedFact says that a function returns the address (or port) of a
// listener it closed before returning, as its results in Results (bit i:
// result i): a free-port helper. Whoever listens on that address again
// races every other process for the port.
type freedFact struct{ Results uint64 }

// AFact marks freedFact as an analysis fact.
func (*freedFact) AFact() {}

func (f *freedFact) String() string { return "freed" }

// freedResults computes, for the package's functions, which results are
// the address of a listener they closed, exports them as facts, and
// returns them with those imported for the functions of other packages.
func (c *checker) freedResults(pass *analysis.Pass) map[*types.Func]uint64 {
	freed := make(map[*types.Func]uint64)
	for _, of := range pass.AllObjectFacts() {
		if fn, ok := of.Object.(*types.Func); ok {
			if f, ok := of.Fact.(*freedFact); ok {
				freed[fn] = f.Results
			}
		}
	}
	c.freed = freed
	// Helpers calling helpers: a few rounds reach the depth real
	// free-port helpers have, and each round only adds.
	for changed, round := true, 0; changed && round < 4; round++ {
		changed = false
		for _, fn := range c.sums.Index.Funcs() {
			if fn.Obj == nil || freed[fn.Obj] != 0 {
				continue
			}
			if bits := c.freesResults(fn); bits != 0 {
				freed[fn.Obj] = bits
				changed = true
			}
		}
	}
	for _, fn := range c.sums.Index.Funcs() {
		if bits := freed[fn.Obj]; fn.Obj != nil && bits != 0 {
			pass.ExportObjectFact(fn.Obj, &freedFact{Results: bits})
		}
	}
	return freed
}

// freesResults returns the results of fn that are the address of a
// listener fn closes (deferred or not), or that a free-port helper gave it.
func (c *checker) freesResults(fn *funcindex.Func) uint64 {
	if !returnsValues(fn) {
		return 0
	}
	closes, freed := c.closesIn(fn.Body, true), c.freedIn(fn.Body)
	if len(closes) == 0 && len(freed) == 0 {
		// Most functions: nothing to follow, but a free-port helper's
		// call returned as it is (fmt.Sprintf(":%d", freePort(t))).
		var bits uint64
		for _, ret := range fn.Returns {
			for i, res := range ret.Results {
				if i < 64 && len(c.freed) > 0 && c.holdsFreedCall(res) {
					bits |= 1 << i
				}
			}
		}
		return bits
	}
	r := newRebinder(c, fn, closes, freed)
	var bits uint64
	for _, ret := range fn.Returns {
		for i, res := range ret.Results {
			if i < 64 && (r.addressIn(res) != nil || c.holdsFreedCall(res)) {
				bits |= 1 << i
			}
		}
	}
	return bits
}

// holdsFreedCall reports whether e is built from the first result of a
// free-port helper's call: fmt.Sprintf(":%d", freePort(t)).
func (c *checker) holdsFreedCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !found {
			if _, bits := c.freedBy(call); bits&1 != 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// freedBy returns the free-port helper that call runs and which of its
// results are freed addresses; nil if call runs none.
func (c *checker) freedBy(call *ast.CallExpr) (*types.Func, uint64) {
	ref, _, ok := c.sums.Index.Callee(call)
	if !ok || ref.Func == nil {
		return nil, 0
	}
	return ref.Func, c.freed[ref.Func.Origin()]
}

// returnsValues reports whether fn returns results of its own.
func returnsValues(fn *funcindex.Func) bool {
	for _, ret := range fn.Returns {
		if len(ret.Results) > 0 {
			return true
		}
	}
	return false
}
