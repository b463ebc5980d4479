package aftertest

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// signals reports whether a goroutine whose code is bodies, started by
// goCall (nil for a callback), may tell another goroutine that it is
// done or how far it got: it sends on, receives from or closes a channel
// (a receive of what the test sends tells the test it got that far),
// marks a WaitGroup done, unlocks, stores atomically, calls a function
// value it was given (a done or cancel function), or uses a stream of the
// test (a pipe, a connection: the test reads what it writes); for a named
// function, it is handed a channel, a function, a sync value or a
// stream. Which of these the test then waits for is not modelled: any one
// may be the join.
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
	if len(bodies) == 0 {
		return false
	}
	found := false
	root := bodies[0].Node
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
			case *ast.UnaryExpr:
				found = n.Op == token.ARROW
			case *ast.RangeStmt:
				if t := info.TypeOf(n.X); t != nil {
					_, found = t.Underlying().(*types.Chan)
				}
			case *ast.SelectStmt:
				found = true
			case *ast.CallExpr:
				found = c.signalCall(n)
			case *ast.Ident:
				// A stream declared outside the goroutine.
				if v, ok := info.Uses[n].(*types.Var); ok && isStream(v.Type()) && !within(v.Pos(), root) {
					found = true
				}
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
		// Accept and Dial: a connection whose other end is the test's.
		return knowledge.Releases(callee) || knowledge.InPackage(callee, "sync/atomic") ||
			callee.Name() == "Done" && callee.Signature().Results().Len() == 0 ||
			(strings.HasPrefix(callee.Name(), "Accept") || strings.HasPrefix(callee.Name(), "Dial")) && returnsStream(callee)
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

// returnsStream reports whether fn's first result is a stream.
func returnsStream(fn *types.Func) bool {
	res := fn.Signature().Results()
	return res.Len() > 0 && isStream(res.At(0).Type())
}

// mayCarrySignal reports whether a value of type t handed to a goroutine
// may be what it signals the test with.
func mayCarrySignal(t types.Type) bool {
	if t == nil {
		return true
	}
	if testmodel.IsTestingType(t) {
		return false // what the test is told through its own testing value is no wait
	}
	if isStream(t) {
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

// joined reports whether the test o may wait for a goroutine whose code
// is bodies (started by goCall, or a callback when it is nil; signalled
// also when the runner has a Wait): the goroutine may signal and the test
// waits after start, or the goroutine uses a value the test waits on
// (an event it fires, a channel wrapper it sends on). When it does, but
// only in its own code after start (not in a defer or a cleanup), exit
// is a statement before that wait that ends the test (t.Fatal,
// require.NoError(t, err), return): on that path nothing waits.
func (c *checker) joined(o *owner, start ast.Node, startCall *ast.CallExpr, bodies []*funcindex.Func, goCall *ast.CallExpr, signalled bool) (joined bool, exit *earlyExit) {
	signalled = signalled || c.signals(bodies, goCall)
	w := c.waits(o, start, startCall)
	if !w.any && w.timeout != nil && (signalled || c.mentions(bodies, goCall, w.timeout.vars)) {
		// Waited for only until a timeout whose case lets the test end.
		return true, &earlyExit{node: w.timeout.clause, what: w.timeout.what, wait: w.timeout.sel.Pos(), timeout: true}
	}
	if !w.any || !signalled && !c.mentions(bodies, goCall, w.vars) {
		return false, nil
	}
	if w.everyPath || !w.first.IsValid() {
		return true, nil
	}
	return true, c.exitBefore(o, start, w.first)
}

// An earlyExit is a statement that ends the test before the wait that
// would join a goroutine.
type earlyExit struct {
	node ast.Node
	what string    // "t.Fatal", "require.NoError", "the return"
	wait token.Pos // the wait it skips
	// timeout: node is the case of a select that the test takes when the
	// goroutine has not signalled in time (time.After, a deadline's
	// Done(), a default), and that lets the test end.
	timeout bool
}

// exitBefore returns the first statement of o's own code, after start and
// wholly before the wait at first, that ends the test: a return, or a
// call that stops o's test.
func (c *checker) exitBefore(o *owner, start ast.Node, first token.Pos) *earlyExit {
	var exit *earlyExit
	ast.Inspect(o.fn.Body, func(n ast.Node) bool {
		if exit != nil || n == nil {
			return false
		}
		if n.End() <= start.End() || n.Pos() >= first {
			return n.Pos() < first && n.End() > start.End()
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.ReturnStmt:
			if n.End() <= first {
				exit = &earlyExit{node: n, what: "the return", wait: first}
			}
		case *ast.CallExpr:
			if n.End() <= first && c.stopsTest(o, n) {
				exit = &earlyExit{node: n, what: analysisutil.CalleeName(n), wait: first}
			}
		}
		return exit == nil
	})
	return exit
}

// stopsTest reports whether call stops o's test on the calling goroutine:
// t.Fatal, t.FailNow, t.Skip, require's functions, a helper that does.
func (c *checker) stopsTest(o *owner, call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if recv, _, ok := testmodel.FailNowCall(info, call); ok {
		return testmodel.RootVar(info, recv) == o.t
	}
	ref, operands, ok := c.idx.Callee(call)
	if !ok || ref.Func != nil && knowledge.InPackage(ref.Func, "testing") {
		return false // t.Run, b.RunParallel: a failure in the function they run ends that function
	}
	for _, op := range operands {
		if _, isLit := ast.Unparen(op).(*ast.FuncLit); isLit {
			return false // what fails may be the literal, run elsewhere
		}
	}
	fails := c.sums.Effect(ref).FailsNow
	for i, op := range operands {
		if fails.Has(i) && testmodel.RootVar(info, op) == o.t {
			return true
		}
	}
	return false
}

// mentions reports whether the goroutine whose code is bodies (or the
// operands of goCall, for a named function) uses one of vars.
func (c *checker) mentions(bodies []*funcindex.Func, goCall *ast.CallExpr, vars map[*types.Var]bool) bool {
	info := c.pass.TypesInfo
	if len(vars) == 0 {
		return false
	}
	if len(bodies) == 0 {
		if goCall == nil {
			return false
		}
		operands := goCall.Args
		if sel, ok := ast.Unparen(goCall.Fun).(*ast.SelectorExpr); ok {
			operands = append([]ast.Expr{sel.X}, operands...)
		}
		for _, op := range operands {
			if v := testmodel.RootVar(info, op); v != nil && vars[v] {
				return true
			}
		}
		return false
	}
	found := false
	for _, fn := range bodies {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && vars[v] {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// waitSet is what o's code waits on after a goroutine's start.
type waitSet struct {
	any bool
	// vars are the values the waits are on (done in <-done, ev in
	// <-ev.Done(), wg in wg.Wait()).
	vars map[*types.Var]bool
	// everyPath: a wait runs on every path out of o (deferred, in a
	// cleanup or a literal, or anywhere when the start is in a loop).
	everyPath bool
	first     token.Pos // the first wait of o's own code after the start, otherwise
	// timeout is the first select of o's own code after the start that
	// waits only until a timeout whose case lets the test go on and pass:
	// no wait, but the only one there is when any is false.
	timeout *timeoutSelect
}

// A timeoutSelect is a select that waits for other goroutines only until
// a timeout: a case on time.After, a timer, a deadline's Done(), or a
// default.
type timeoutSelect struct {
	sel    *ast.SelectStmt
	clause *ast.CommClause     // the timeout's case
	what   string              // "the time.After case"
	vars   map[*types.Var]bool // what its other cases receive from
}

// waits returns what o's code may wait on after start, or on every path
// out of it: a receive, a send (to a goroutine that receives it), a range
// over a channel, a select, a Wait, a call that waits (testify's
// Eventually, a helper that receives), a read or write of a stream, in
// its own code after start, or anywhere in a deferred call or a literal
// (a cleanup, a deferred function).
func (c *checker) waits(o *owner, start ast.Node, startCall *ast.CallExpr) waitSet {
	info := c.pass.TypesInfo
	inLoop := c.idx.LoopOf(startCall) != nil
	w := waitSet{vars: make(map[*types.Var]bool)}
	skip := make(map[ast.Node]bool) // the receives of timeout selects' cases
	on := func(e ast.Expr) {
		// Not the testing value, a context or a logger: every goroutine
		// may use those.
		if v := testmodel.RootVar(info, e); v != nil && !testmodel.IsTestingType(v.Type()) && !knowledge.IsContext(v.Type()) && !knowledge.IsLoggerType(v.Type()) {
			w.vars[v] = true
		}
	}
	for _, fn := range c.withLiterals(o.fn) {
		anywhere := fn != o.fn || inLoop
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit:
				return false // in withLiterals unless it is a goroutine
			case *ast.GoStmt:
				return false // what another goroutine waits for is not the test's wait
			}
			if n == nil {
				return true
			}
			if call, ok := n.(*ast.CallExpr); ok && c.cleanupWaits(call) {
				w.any, w.everyPath = true, true // t.Cleanup(wg.Wait): on every path
				if len(call.Args) == 1 {
					if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok {
						on(sel.X)
					}
				}
				return false
			}
			deferred := c.isDeferredNode(n)
			if !anywhere && n.Pos() < start.Pos() && !deferred {
				return true
			}
			if skip[n] {
				return true
			}
			waits := false
			switch n := n.(type) {
			case *ast.SendStmt:
				waits = true // a goroutine that receives it got that far
				on(n.Chan)
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					waits = true
					on(n.X)
				}
			case *ast.RangeStmt:
				if t := info.TypeOf(n.X); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						waits = true
						on(n.X)
					}
				}
			case *ast.SelectStmt:
				if !anywhere && !deferred {
					if ts := c.passingTimeout(o, n); ts != nil {
						if w.timeout == nil {
							w.timeout = ts
						}
						for _, cl := range n.Body.List {
							if recv := receiveOf(cl.(*ast.CommClause).Comm); recv != nil {
								skip[recv] = true
							}
						}
						return true
					}
				}
				waits = true
			case *ast.CallExpr:
				if c.waitCall(n) || c.streamCall(n) || c.dialCall(n) && c.runByCall(o, fn) {
					waits = true
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
						on(sel.X)
					}
					for _, arg := range n.Args {
						on(arg)
					}
				}
			}
			if waits {
				w.any = true
				switch {
				case anywhere || deferred:
					w.everyPath = true
				case !w.first.IsValid() || n.Pos() < w.first:
					w.first = n.Pos()
				}
			}
			return true
		})
	}
	return w
}

// streamCall reports whether call reads or writes a stream: a method of
// one (conn.Read, tlsConn.Handshake), or a function handed one
// (io.ReadAll(r)). A goroutine at the other end of a pipe or connection
// is joined by what the test reads from it; which end is which is not
// modelled.
func (c *checker) streamCall(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil && isStream(info.TypeOf(sel.X)) {
		return !movesNoData[sel.Sel.Name] // conn.Close() waits for nobody
	}
	for _, arg := range call.Args {
		if isStream(info.TypeOf(arg)) {
			return true
		}
	}
	return false
}

// dialCall reports whether call returns a connection (conn, err :=
// dial(addr)): one made, maybe with a handshake (a proxy's CONNECT) that
// the goroutine at the other end answers.
func (c *checker) dialCall(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok {
		return returnsStream(fn)
	}
	if t := info.TypeOf(call.Fun); t != nil {
		if sig, ok := t.Underlying().(*types.Signature); ok {
			return sig.Results().Len() > 0 && isStream(sig.Results().At(0).Type())
		}
	}
	return false
}

// runByCall reports whether fn is o's own code or a literal that a call
// runs (called where it is written, or handed to one, as t.Run's body):
// not one kept for later (a Transport's Dial field), which the test may
// never run.
func (c *checker) runByCall(o *owner, fn *funcindex.Func) bool {
	for cur := fn; cur != o.fn; cur = cur.Outer {
		lit, ok := cur.Node.(*ast.FuncLit)
		if !ok || cur.Outer == nil {
			return false
		}
		if call, _ := c.callTaking(cur.Outer, lit); call == nil {
			return false
		}
	}
	return true
}

// movesNoData are the methods of a stream that neither read nor write:
// calling one waits for no goroutine at the other end.
var movesNoData = map[string]bool{
	"Close": true, "CloseRead": true, "CloseWrite": true,
	"SetDeadline": true, "SetReadDeadline": true, "SetWriteDeadline": true,
	"LocalAddr": true, "RemoteAddr": true,
}

var (
	ioReader = types.NewInterfaceType([]*types.Func{
		types.NewFunc(0, nil, "Read", types.NewSignatureType(nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "p", types.NewSlice(types.Typ[types.Byte]))),
			types.NewTuple(types.NewParam(0, nil, "n", types.Typ[types.Int]), types.NewParam(0, nil, "err", types.Universe.Lookup("error").Type())), false)),
	}, nil).Complete()
	ioWriter = types.NewInterfaceType([]*types.Func{
		types.NewFunc(0, nil, "Write", types.NewSignatureType(nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "p", types.NewSlice(types.Typ[types.Byte]))),
			types.NewTuple(types.NewParam(0, nil, "n", types.Typ[types.Int]), types.NewParam(0, nil, "err", types.Universe.Lookup("error").Type())), false)),
	}, nil).Complete()
)

// isStream reports whether a value of type t is a stream another
// goroutine may be at the other end of: a reader or writer (a pipe, a
// connection, a file), not an in-memory buffer, a testing value or a
// logger.
func isStream(t types.Type) bool {
	if t == nil || testmodel.IsTestingType(t) || knowledge.IsLoggerType(t) {
		return false
	}
	if knowledge.IsType(t, "bytes", "Buffer", "Reader") || knowledge.IsType(t, "strings", "Builder", "Reader") {
		return false
	}
	if types.Implements(t, ioReader) || types.Implements(t, ioWriter) {
		return true
	}
	// A variable of a struct type whose methods have pointer receivers.
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return false
	}
	p := types.NewPointer(t)
	return types.Implements(p, ioReader) || types.Implements(p, ioWriter)
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
// is kept: stopped in o's code with Stop's result checked, or stored or
// returned where o cannot see what becomes of it. When every Stop of it
// discards the result (timer.Stop(), defer timer.Stop()), it returns the
// first: Stop does not wait for a function the timer has already started,
// which may then run after the test.
func (c *checker) kept(o *owner, f *funcindex.Func, call *ast.CallExpr) (bool, *ast.CallExpr) {
	var stops []*ast.CallExpr
	v := c.sums.AssignedTo(call)
	switch {
	case v == nil:
		// defer time.AfterFunc(d, fn).Stop()
		stops = c.stopsOf(o, f, func(x ast.Expr) bool { return ast.Unparen(x) == call })
		if stops == nil {
			// Discarded when the call is a statement of its own; anything
			// else (a field, a return, an argument) keeps it somewhere.
			return !c.isStatement(o.fn, call), nil
		}
	case v.IsField() || testmodel.IsPackageLevel(v) || !knowledge.IsTimer(v.Type()):
		return true, nil // a field, or a struct holding the timer: it escapes
	default:
		info := c.pass.TypesInfo
		stops = c.stopsOf(o, f, func(x ast.Expr) bool { return testmodel.RootVar(info, x) == v })
	}
	for _, stop := range stops {
		if c.resultUsed(o, f, stop) {
			return true, nil // if !timer.Stop() { <-done }
		}
	}
	switch {
	case len(stops) == 0:
		return false, nil
	case f != o.fn:
		// A timer started on a goroutine of the test's, stopped there
		// (time's TestTimerStopStress): whether its function can run
		// after the test is a question of that goroutine's timing.
		return true, nil
	}
	return false, stops[0]
}

// stopsOf returns the Stop calls of o's and f's code on the timer (those
// whose receiver timer accepts), in source order.
func (c *checker) stopsOf(o *owner, f *funcindex.Func, timer func(ast.Expr) bool) []*ast.CallExpr {
	var stops []*ast.CallExpr
	seen := make(map[*ast.CallExpr]bool)
	for _, fn := range append(c.withLiterals(o.fn), c.withLiterals(f)...) {
		for _, other := range fn.Calls {
			sel, ok := ast.Unparen(other.Fun).(*ast.SelectorExpr)
			if ok && sel.Sel.Name == "Stop" && len(other.Args) == 0 && !seen[other] && timer(sel.X) {
				seen[other] = true
				stops = append(stops, other)
			}
		}
	}
	slices.SortFunc(stops, func(a, b *ast.CallExpr) int { return cmp.Compare(a.Pos(), b.Pos()) })
	return stops
}

// resultUsed reports whether the result of call, in o's or f's code, is
// used: not dropped by a defer, a go statement or an expression statement.
func (c *checker) resultUsed(o *owner, f *funcindex.Func, call *ast.CallExpr) bool {
	if c.idx.IsDeferred(call) || c.idx.GoOf(call) != nil {
		return false
	}
	return !c.isStatement(o.fn, call) && !c.isStatement(f, call)
}

// isStatement reports whether call is an expression statement of f's code.
func (c *checker) isStatement(f *funcindex.Func, call *ast.CallExpr) bool {
	found := false
	for _, fn := range c.withLiterals(f) {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if es, ok := n.(*ast.ExprStmt); ok && ast.Unparen(es.X) == call {
				found = true
			}
			return !found
		})
	}
	return found
}

// passingTimeout returns sel, a select of o's own code outside any loop,
// when it has a timeout case (time.After, a timer's C, a deadline's
// Done(), or a default) after which the test goes on without failing: on
// that path, whatever its other cases wait for may still run when the
// test ends. One whose timeout case fails or stops the test
// (t.Fatal("timeout")) is a wait: the test has failed on that path
// anyway.
func (c *checker) passingTimeout(o *owner, sel *ast.SelectStmt) *timeoutSelect {
	var ts *timeoutSelect
	vars := make(map[*types.Var]bool)
	for _, stmt := range sel.Body.List {
		cl := stmt.(*ast.CommClause)
		if what, ok := c.timeoutCase(cl.Comm); ok {
			if ts == nil && !c.failsTest(o, cl.Body) {
				ts = &timeoutSelect{sel: sel, clause: cl, what: what}
			}
			continue
		}
		if recv := receiveOf(cl.Comm); recv != nil {
			if v := testmodel.RootVar(c.pass.TypesInfo, recv.X); v != nil {
				vars[v] = true
			}
		}
	}
	if ts == nil || len(vars) == 0 || inLoop(o.fn.Body, sel) {
		return nil
	}
	ts.vars = vars
	return ts
}

// timeoutCase reports whether comm, the communication of a select's
// case, is a timeout, and names the case.
func (c *checker) timeoutCase(comm ast.Stmt) (string, bool) {
	if comm == nil {
		return "the default case", true
	}
	recv := receiveOf(comm)
	if recv == nil {
		return "", false
	}
	if !isTimerChan(c.pass.TypesInfo, recv.X) && !c.deadlineDone(recv.X) {
		return "", false
	}
	if call, ok := ast.Unparen(recv.X).(*ast.CallExpr); ok {
		return "the " + analysisutil.CalleeName(call) + " case", true // time.After, ctx.Done
	}
	return "the " + types.ExprString(recv.X) + " case", true // timer.C
}

// deadlineDone reports whether ch is ctx.Done() of a context that
// context.WithTimeout or WithDeadline made: it ends at a time of its own.
// Any other context's may end only when the test does (t.Context()), when
// nothing else is left to wait.
func (c *checker) deadlineDone(ch ast.Expr) bool {
	info := c.pass.TypesInfo
	call, ok := ast.Unparen(ch).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !knowledge.IsContextDone(fn) || !ok {
		return false
	}
	v := testmodel.VarOf(info, sel.X)
	if v == nil {
		return false
	}
	as := c.idx.Assignments(v)
	if len(as) != 1 || as[0].Result != 0 {
		return false
	}
	made, ok := ast.Unparen(as[0].Value).(*ast.CallExpr)
	if !ok {
		return false
	}
	maker, _ := typeutil.Callee(info, made).(*types.Func)
	return knowledge.IsFunc(maker, "context", "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause")
}

// receiveOf returns the receive that comm, a select case's
// communication, makes; nil for a send or a default.
func receiveOf(comm ast.Stmt) *ast.UnaryExpr {
	var x ast.Expr
	switch comm := comm.(type) {
	case *ast.ExprStmt:
		x = comm.X
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			x = comm.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u
	}
	return nil
}

// failsTest reports whether body, a select case of o's code, may fail the
// test: a testing method that marks a failure (t.Errorf, t.Fatal), a call
// of the FailNow family other than a skip, one given a testing value
// (require.NoError(t, err), a helper), or a panic.
func (c *checker) failsTest(o *owner, body []ast.Stmt) bool {
	info := c.pass.TypesInfo
	fails := false
	for _, stmt := range body {
		ast.Inspect(stmt, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if fails || !ok {
				return !fails
			}
			if _, fn, ok := testmodel.TestingMethod(info, call); ok {
				fails = failureMethods[fn.Name()]
			} else if b, ok := typeutil.Callee(info, call).(*types.Builtin); ok && b.Name() == "panic" {
				fails = true
			} else if c.stopsTest(o, call) {
				fails = true
			} else {
				for _, arg := range call.Args {
					if t := info.TypeOf(arg); t != nil && testmodel.IsTestingType(t) {
						fails = true
					}
				}
			}
			return !fails
		})
	}
	return fails
}

// failureMethods are the testing methods that mark a test failed. Not
// Skip and its kin: a test skipped on a timeout ends as if it passed,
// with the goroutine still running.
var failureMethods = map[string]bool{
	"Error": true, "Errorf": true, "Fail": true, "FailNow": true, "Fatal": true, "Fatalf": true,
}

// inLoop reports whether n is inside a for or range statement of body
// (not of a function literal in it): a select there that times out may
// wait again.
func inLoop(body *ast.BlockStmt, n ast.Node) bool {
	found := false
	ast.Inspect(body, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if m.Pos() <= n.Pos() && n.End() <= m.End() {
				found = true
			}
		}
		return !found
	})
	return found
}
