package aftertest

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// signals reports whether a goroutine whose code is bodies, started by
// goCall (nil for a callback), may tell another goroutine that it is
// done or how far it got: it sends on or closes a channel, marks a
// WaitGroup done, unlocks, stores atomically, or calls a function value
// it was given (a done or cancel function); for a named function, it is
// handed a channel, a function or a sync value. Which of these the test
// then waits for is not modelled: any one may be the join.
func (c *checker) signals(bodies []*funcindex.Func, goCall *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if len(bodies) == 0 && goCall != nil {
		operands := goCall.Args
		if sel, ok := ast.Unparen(goCall.Fun).(*ast.SelectorExpr); ok {
			operands = append([]ast.Expr{sel.X}, operands...)
		}
		for _, op := range operands {
			if mayCarrySignal(info.TypeOf(op)) {
				return true
			}
		}
		return false
	}
	found := false
	for _, fn := range bodies {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // in bodies if it runs here
			case *ast.SendStmt:
				found = true
			case *ast.CallExpr:
				found = c.signalCall(n)
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// signalCall reports whether call may signal another goroutine.
func (c *checker) signalCall(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	switch callee := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return callee.Name() == "close"
	case *types.Func:
		// Done with no result: a WaitGroup's, a latch's; not ctx.Done.
		return knowledge.Releases(callee) || knowledge.InPackage(callee, "sync/atomic") ||
			callee.Name() == "Done" && callee.Signature().Results().Len() == 0
	case *types.Var:
		return true // done(), cancel(): a function value it was given
	case nil:
		// A call of a function value that is no variable (h.done()).
		if tv, ok := info.Types[call.Fun]; ok && !tv.IsType() && !tv.IsBuiltin() {
			return true
		}
	}
	return false
}

// mayCarrySignal reports whether a value of type t handed to a goroutine
// may be what it signals the test with.
func mayCarrySignal(t types.Type) bool {
	if t == nil {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Pointer:
		if named, ok := types.Unalias(u.Elem()).(*types.Named); ok && named.Obj().Pkg() != nil {
			switch named.Obj().Pkg().Path() {
			case "sync", "sync/atomic", "golang.org/x/sync/errgroup":
				return true
			}
		}
		_, isStruct := u.Elem().Underlying().(*types.Struct)
		return isStruct && !knowledge.IsLoggerType(u)
	}
	return false
}

// waits reports whether o's code may wait for another goroutine after
// start, or on every path out of it: a receive, a range over a channel, a
// select, a Wait, a call that waits (testify's Eventually, a helper that
// receives), in its own code after start, or anywhere in a deferred call
// or a literal (a cleanup, a deferred function).
func (c *checker) waits(o *owner, start ast.Node, startCall *ast.CallExpr) bool {
	inLoop := c.idx.LoopOf(startCall) != nil
	for _, fn := range c.withLiterals(o.fn) {
		anywhere := fn != o.fn || inLoop
		found := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if found {
				return false
			}
			if _, ok := n.(*ast.FuncLit); ok {
				return false // in withLiterals unless it is a goroutine
			}
			if n == nil {
				return true
			}
			if call, ok := n.(*ast.CallExpr); ok && c.cleanupWaits(call) {
				found = true // t.Cleanup(wg.Wait): on every path
				return false
			}
			if !anywhere && n.Pos() < start.Pos() && !c.isDeferredNode(n) {
				return true
			}
			switch n := n.(type) {
			case *ast.UnaryExpr:
				found = n.Op == token.ARROW
			case *ast.RangeStmt:
				if t := c.pass.TypesInfo.TypeOf(n.X); t != nil {
					_, found = t.Underlying().(*types.Chan)
				}
			case *ast.SelectStmt:
				found = true
			case *ast.CallExpr:
				found = c.waitCall(n)
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// isDeferredNode reports whether n is the call of a defer statement: it
// runs on every path out of the function.
func (c *checker) isDeferredNode(n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	return ok && c.idx.IsDeferred(call)
}

// cleanupWaits reports whether call is t.Cleanup(f) with f a function
// value that waits: t.Cleanup(wg.Wait), t.Cleanup(g.Wait).
func (c *checker) cleanupWaits(call *ast.CallExpr) bool {
	if _, ok := testmodel.CleanupCall(c.pass.TypesInfo, call); !ok || len(call.Args) != 1 {
		return false
	}
	ref, ok := c.idx.Resolve(call.Args[0])
	return ok && ref.Func != nil && (ref.Func.Name() == "Wait" || c.sums.Effect(ref).Waits)
}

// waitCall reports whether call may wait for another goroutine: a Wait,
// testify's Eventually, anything whose summary waits, and a load of an
// atomic value, which a loop polls.
func (c *checker) waitCall(call *ast.CallExpr) bool {
	if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok && knowledge.InPackage(fn, "sync/atomic") && strings.HasPrefix(fn.Name(), "Load") {
		return true
	}
	if ref, _, ok := c.idx.Callee(call); ok {
		if ref.Func != nil && (ref.Func.Name() == "Wait" || ref.Func.Name() == "Eventually" || ref.Func.Name() == "EventuallyWithT") {
			return true
		}
		if c.sums.Effect(ref).Waits {
			return true
		}
		return false
	}
	// A method of an interface, a function value: wg.Wait through an
	// interface, a stop function a helper returned.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Wait" {
		return true
	}
	return false
}

// kept reports whether the timer that call, time.AfterFunc(...), returns
// is kept: stopped in o's code, or stored or returned where o cannot see
// what becomes of it.
func (c *checker) kept(o *owner, call *ast.CallExpr) bool {
	v := c.sums.AssignedTo(call)
	if v == nil {
		// Discarded when the call is a statement of its own; anything
		// else (a field, a return, an argument) keeps it somewhere.
		return !c.isStatement(o, call)
	}
	if v.IsField() || testmodel.IsPackageLevel(v) || !knowledge.IsTimer(v.Type()) {
		return true // a field, or a struct holding the timer: it escapes
	}
	info := c.pass.TypesInfo
	for _, fn := range c.withLiterals(o.fn) {
		for _, other := range fn.Calls {
			sel, ok := ast.Unparen(other.Fun).(*ast.SelectorExpr)
			if ok && sel.Sel.Name == "Stop" && testmodel.RootVar(info, sel.X) == v {
				return true
			}
		}
	}
	return false
}

// isStatement reports whether call is an expression statement of o's code.
func (c *checker) isStatement(o *owner, call *ast.CallExpr) bool {
	found := false
	for _, fn := range c.withLiterals(o.fn) {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if es, ok := n.(*ast.ExprStmt); ok && ast.Unparen(es.X) == call {
				found = true
			}
			return !found
		})
	}
	return found
}
