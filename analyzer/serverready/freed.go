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
	c.freedLits = make(map[*ast.FuncLit]uint64)
	// Helpers calling helpers: a few rounds reach the depth real
	// free-port helpers have, and each round only adds. A literal in a
	// variable is one as well: its calls run it.
	for changed, round := true, 0; changed && round < 4; round++ {
		changed = false
		for _, fn := range c.sums.Index.Funcs() {
			// Only helpers are kept: an empty map says there is none.
			lit, _ := fn.Node.(*ast.FuncLit)
			var bits uint64
			switch {
			case lit != nil && c.freedLits[lit] == 0:
				if bits = c.freesResults(fn); bits != 0 {
					c.freedLits[lit] = bits
				}
			case lit == nil && fn.Obj != nil && freed[fn.Obj] == 0:
				if bits = c.freesResults(fn); bits != 0 {
					freed[fn.Obj] = bits
				}
			}
			changed = changed || bits != 0
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
				if i < 64 && c.anyFreed() && c.holdsFreedCall(res) {
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
			if c.freedBy(call)&1 != 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// freedBy returns which results of the free-port helper that call runs
// are freed addresses; 0 if call runs none.
func (c *checker) freedBy(call *ast.CallExpr) uint64 {
	ref, _, ok := c.sums.Index.Callee(call)
	switch {
	case !ok:
		return 0
	case ref.Lit != nil:
		return c.freedLits[ref.Lit]
	case ref.Func != nil:
		return c.freed[ref.Func.Origin()]
	}
	return 0
}

// anyFreed reports whether the package has or imports a free-port
// helper: without one, there is nothing to look for.
func (c *checker) anyFreed() bool { return len(c.freed) > 0 || len(c.freedLits) > 0 }

// returnsValues reports whether fn returns results of its own.
func returnsValues(fn *funcindex.Func) bool {
	for _, ret := range fn.Returns {
		if len(ret.Results) > 0 {
			return true
		}
	}
	return false
}
