package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A chanOp is a channel operation that a function makes itself.
type chanOp struct {
	Pos      token.Pos
	Ch       *types.Var // the variable the channel is reached from, if any
	Recv     bool       // a receive or a range over a channel; else a send or close
	Timer    bool       // a receive from time.After, time.Tick or a timer's C: a sleep
	Done     bool       // a receive from ctx.Done(): the context's end, never readiness
	Deferred bool       // a deferred close: it runs when the function returns
}

// never reports whether receiving from op's channel can never mean that a
// server listens: a timer, a context's Done channel, the process's signals.
func (r *Result) never(op chanOp) bool {
	return op.Timer || op.Done || op.Ch != nil && r.signalChans[op.Ch]
}

// readiness adds to s what a call at site, doing callee, does to server
// readiness: it listens, binds a listener it keeps open, dials (in a
// polling loop: waits), or waits; and to order, where it dials or waits.
func (r *Result) readiness(body *ast.BlockStmt, site Site, callee *Summary, s *Summary, order *dialOrder) {
	if callee.Listens {
		s.Listens = true
	}
	if callee.Binds && !r.closedLater(body, site.Call) {
		s.Binds = true
	}
	deferred := r.Index.IsDeferred(site.Call) // runs last: neither first
	polls, retries := false, r.retries(site)
	if callee.Dials {
		s.Dials = true
		if polls = r.polls(site.Call); polls {
			s.Waits = true
		}
		if !polls && !retries && (!callee.Waits || callee.DialsFirst) && !deferred {
			order.dial(site.Call.Pos())
		}
		if polls || retries {
			order.retries = true
		}
	}
	if callee.Waits || retries {
		s.Waits = true
	}
	if (callee.Waits || retries || polls) && !deferred {
		order.wait(site.Call.Pos())
	}
}

// A dialOrder is where a function first dials and first waits, in source
// order (DialsFirst).
type dialOrder struct {
	firstDial, firstWait token.Pos
	// retries: the function also dials in a loop until it connects (a
	// first try, then a loop of retries): it waits for the server.
	retries bool
}

func (o *dialOrder) dial(pos token.Pos) {
	if !o.firstDial.IsValid() || pos < o.firstDial {
		o.firstDial = pos
	}
}

func (o *dialOrder) wait(pos token.Pos) {
	if !o.firstWait.IsValid() || pos < o.firstWait {
		o.firstWait = pos
	}
}

// dialsFirst reports whether the function dials before it waits. A call
// that dials first and then waits is both, and dials first.
func (o *dialOrder) dialsFirst() bool {
	return o.firstDial.IsValid() && !o.retries && (!o.firstWait.IsValid() || o.firstDial <= o.firstWait)
}

// closedLater reports whether the listener or server that call returns is
// closed later in body: a function that binds a listener and closes it
// does not return with it open.
func (r *Result) closedLater(body *ast.BlockStmt, call *ast.CallExpr) bool {
	v := r.resultVar[call]
	if v == nil {
		return false
	}
	for _, c := range r.Index.Calls(body) {
		if c.Pos() > call.Pos() && isCloseOf(r.info, c, v) {
			return true
		}
	}
	return false
}

// isCloseOf reports whether call is v.Close() or v.f.Close().
func isCloseOf(info *types.Info, call *ast.CallExpr, v *types.Var) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Close" && len(call.Args) == 0 && testmodel.RootVar(info, sel.X) == v
}

// MayStart reports whether body may start a server on another goroutine:
// it has a go statement, a callback, or a call of an unready helper. Only
// then are its events worth ordering.
func (r *Result) MayStart(body *ast.BlockStmt) bool {
	for _, site := range r.Sites(body) {
		if site.Go != nil {
			return true
		}
		if site.Resolved {
			if e := r.Effect(site.Ref); e.Unready || e.Async != 0 {
				return true
			}
		}
	}
	return false
}

// starts reports whether running e's code on another goroutine leads to
// a listener being created there later: it listens, or it is unready (it
// starts a goroutine that listens and does not wait for it).
func starts(e *Summary) bool { return e.Listens || e.Unready }

// EventKind is the kind of an Event.
type EventKind int

// The kinds of event that decide whether a request can reach a server
// before it listens.
const (
	EventStart   EventKind = iota // a server starts on another goroutine
	EventBarrier                  // the function waits for another goroutine
	EventRequest                  // the function connects to a server
	EventSleep                    // time.Sleep: not a barrier
	EventSubtest                  // t.Run(name, func(t) {...}), f.Fuzz(...): its body runs now
	// EventCallback: a literal that the call runs before it returns, the
	// callback of a helper that starts a server first (CallsPending).
	EventCallback
	// EventCallParam: the function calls its function parameter, whose
	// code is its caller's (see CallsPending).
	EventCallParam
)

// An Event is something a function does, in source order, that matters to
// whether its requests can run before its servers listen.
type Event struct {
	Kind EventKind
	Pos  token.Pos
	Node ast.Node      // the go statement or call; nil for a channel operation
	Call *ast.CallExpr // the call, for a start by a helper, a request, a subtest
	// For a barrier: what it waits on, a channel or a WaitGroup or
	// errgroup (nil: something else, which counts as readiness), and
	// whether that can never mean readiness (ctx.Done(), a signal).
	Ch    *types.Var
	Never bool
	// For a start: what its goroutine signals once its listener exists
	// (Ready), and what it signals before that or after the server
	// stopped (NotReady: a channel closed first, an error channel, the
	// WaitGroup or errgroup that waits for the server's end).
	Ready, NotReady []*types.Var
	Server          funcindex.Ref // for a start: the code the goroutine runs, or the helper
	Started         ast.Expr      // for a start: the function value the goroutine runs (g.Run, a literal)
	By              funcindex.Ref // for a start by a helper that returns too early: the helper
	Lit             *ast.FuncLit  // for a subtest or a callback: its body
	Tests           bool          // for a request: m.Run, whose tests send the requests
}

// Events returns what body itself does, in source order, that matters to
// whether its requests can run before its servers listen.
func (r *Result) Events(body *ast.BlockStmt) []Event {
	var events []Event
	for _, op := range r.chanOps[body] {
		switch {
		case op.Timer:
			events = append(events, Event{Kind: EventSleep, Pos: op.Pos})
		case op.Recv:
			events = append(events, Event{Kind: EventBarrier, Pos: op.Pos, Ch: op.Ch, Never: r.never(op)})
		}
	}
	held := make(map[*types.Var]bool) // mutexes the function holds
	for _, site := range r.Sites(body) {
		call := site.Call
		if r.Index.IsDeferred(call) {
			continue // it runs when the function returns, not here
		}
		switch {
		case site.Go != nil:
			if site.Resolved && starts(r.Effect(site.Ref)) && !r.servesGiven(site) {
				ready, notReady := r.signals(site.Ref)
				events = append(events, Event{Kind: EventStart, Pos: site.Go.Pos(), Node: site.Go, Ready: ready, NotReady: notReady, Server: site.Ref, Started: site.Call.Fun})
			}
			continue
		case site.Testing == CallRun || site.Testing == CallFuzz:
			if lit, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.FuncLit); ok {
				events = append(events, Event{Kind: EventSubtest, Pos: call.Pos(), Node: call, Call: call, Lit: lit})
			}
			continue
		case !site.Resolved:
			if v, ok := r.info.Uses[identOf(call.Fun)].(*types.Var); ok && v.Kind() == types.ParamVar {
				events = append(events, Event{Kind: EventCallParam, Pos: call.Pos(), Node: call, Call: call})
			}
			continue
		}
		callee := r.Effect(site.Ref)
		events = r.callbacks(events, site, callee)
		async := r.AsyncAt(site)
		for j, op := range site.Operands {
			if !async.Has(j) {
				continue
			}
			if fref, ok := r.Index.Resolve(op); ok && starts(r.Effect(fref)) && !r.servesGivenRef(fref, nil) {
				ready, notReady := r.signals(fref)
				if group := r.groupOf(site); group != nil {
					notReady = append(notReady, group) // its Wait waits for the server's end
				}
				events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Call: call, Ready: ready, NotReady: notReady, Server: fref, Started: op})
			}
		}
		if callee.Locks || callee.Unlocks {
			if mu := r.ReceiverVar(site); mu != nil {
				if callee.Locks && held[mu] {
					// Locked again: waits for whoever unlocks it, a
					// server's NotifyStarted callback among them.
					events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call})
				}
				held[mu] = callee.Locks
			}
			continue
		}
		switch {
		case callee.Unready:
			events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Call: call, By: site.Ref, Server: site.Ref})
		case callee.Waits && callee.DialsFirst && !r.retries(site):
			// A client that connects, then waits for the server's reply:
			// its connection may come first; once it returns, the
			// server has answered.
			events = append(events, Event{Kind: EventRequest, Pos: call.Pos(), Node: call, Call: call})
			events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call, Ch: r.groupOf(site)})
		case callee.Waits || r.retries(site):
			// A function that waits, a polling helper among them.
			events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call, Ch: r.groupOf(site)})
		case callee.RunsTests:
			events = append(events, Event{Kind: EventRequest, Pos: call.Pos(), Node: call, Call: call, Tests: true})
		case callee.Dials && r.polls(call):
			events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call})
		case callee.Dials:
			events = append(events, Event{Kind: EventRequest, Pos: call.Pos(), Node: call, Call: call})
		case callee.Sleeps:
			events = append(events, Event{Kind: EventSleep, Pos: call.Pos(), Node: call})
		}
	}
	slices.SortStableFunc(events, func(a, b Event) int { return int(a.Pos - b.Pos) })
	return events
}

// callbacks appends to events what a call of a helper whose callback runs
// while the server it started may not listen yet does (CallsPending):
// the start, at the call, and the literal it is given, whose requests
// come after it.
func (r *Result) callbacks(events []Event, site Site, callee *Summary) []Event {
	if callee.CallsPending == 0 {
		return events
	}
	started := callee.Unready // its start is an event of the call's already
	for j, op := range site.Operands {
		lit, ok := ast.Unparen(op).(*ast.FuncLit)
		if !ok || !callee.CallsPending.Has(j) {
			continue
		}
		if !started {
			events = append(events, Event{Kind: EventStart, Pos: site.Call.Pos(), Node: site.Call, Call: site.Call, By: site.Ref, Server: site.Ref})
			started = true
		}
		events = append(events, Event{Kind: EventCallback, Pos: lit.Pos(), Node: site.Call, Call: site.Call, Lit: lit})
	}
	return events
}

// identOf returns e as an identifier, or nil.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// AssignedTo returns the variable that call's result, a pointer or an
// interface, is assigned to (w in w := watch.New()); nil if none.
func (r *Result) AssignedTo(call *ast.CallExpr) *types.Var { return r.resultVar[call] }

// ReceiverVar returns the variable that a method call at site is made on,
// or nil for a call of a function.
func (r *Result) ReceiverVar(site Site) *types.Var {
	if site.Ref.Func == nil || site.Ref.Func.Signature().Recv() == nil || len(site.Operands) == 0 {
		return nil
	}
	return testmodel.RootVar(r.info, site.Operands[0])
}

// servesGiven reports whether the go statement at site serves listeners
// that it is handed rather than creating its own: go srv.Serve(ln),
// go func() { h.Run(ctx, listeners, cfg) }(), where Run listens only when
// given none. Connections queue from the listener's creation on.
func (r *Result) servesGiven(site Site) bool {
	return r.servesGivenRef(site.Ref, site.Operands)
}

// servesGivenRef reports whether running ref with operands serves given
// listeners: the operands hold one, or, for a literal, every call in it
// that listens or starts a server is handed one.
func (r *Result) servesGivenRef(ref funcindex.Ref, operands []ast.Expr) bool {
	if r.holdsListener(operands) {
		return true
	}
	if ref.Lit == nil {
		return false
	}
	found := false
	for _, site := range r.Sites(ref.Lit.Body) {
		if site.Go != nil || !site.Resolved || !starts(r.Effect(site.Ref)) {
			continue
		}
		if !r.holdsListener(site.Operands) {
			return false
		}
		found = true
	}
	return found
}

// holdsListener reports whether one of operands is a net.Listener or a
// bound packet socket (a QUIC server's), or a slice of them.
func (r *Result) holdsListener(operands []ast.Expr) bool {
	for _, op := range operands {
		t := r.info.TypeOf(op)
		if sl, ok := types.Unalias(t).(*types.Slice); ok {
			t = sl.Elem()
		}
		if t != nil && (knowledge.IsNetListener(t) || knowledge.IsPacketConn(t)) {
			return true
		}
	}
	return false
}

// groupOf returns the variable of the WaitGroup or errgroup that a method
// call at site is made on (g.Go(f), wg.Wait()), or nil.
func (r *Result) groupOf(site Site) *types.Var {
	fn := site.Ref.Func
	if fn == nil || fn.Signature().Recv() == nil || len(site.Operands) == 0 {
		return nil
	}
	if !knowledge.IsType(fn.Signature().Recv().Type(), "sync", "WaitGroup") && !knowledge.IsType(fn.Signature().Recv().Type(), "golang.org/x/sync/errgroup", "Group") {
		return nil
	}
	return r.ReceiverVar(site)
}

// A Pending is a server start that nothing has waited for yet, the
// latest; Earlier holds the starts before it that are still pending too.
type Pending struct {
	Start Event
	Slept token.Pos // a time.Sleep (or a receive from time.After) since the start
	// Partial: the code waited for another of its servers, not this one.
	// A request may be for that other server, so only the tests that m.Run
	// runs, which may send requests to each, are reported for it.
	Partial bool
	Earlier []Pending
}

// Definite returns the start that p says is pending for any request that
// follows: the latest, when nothing waited for another server since; nil
// if none is.
func (p *Pending) Definite() *Pending {
	if p == nil || p.Partial {
		return nil
	}
	return &Pending{Start: p.Start, Slept: p.Slept}
}

// forRequest returns the pending start that request e may reach before
// it listens: the definite one, or for m.Run, whose tests may send
// requests to every server, any start still pending.
func (p *Pending) forRequest(e Event) *Pending {
	if d := p.Definite(); d != nil || !e.Tests || p == nil {
		return d
	}
	return &Pending{Start: p.Start, Slept: p.Slept}
}

// all returns every start pending in p, the latest first.
func (p *Pending) all() []Pending {
	if p == nil {
		return nil
	}
	latest := *p
	latest.Earlier = nil
	return append([]Pending{latest}, p.Earlier...)
}

// pendingOf is the Pending of starts, the latest first; nil if none.
func pendingOf(starts []Pending) *Pending {
	if len(starts) == 0 {
		return nil
	}
	p := starts[0]
	p.Earlier = starts[1:]
	return &p
}

// Scan walks events in order, with p pending when they begin (nil for
// none; a subtest body's events are scanned where t.Run runs them), and
// returns what is pending after them. request, if not nil, is called for
// each request made while a start is pending; when it returns true, the
// start counts as dealt with.
//
// Only what happens after the listener exists ends a pending start: a
// receive from what the server's goroutine signals once it listens, or
// from something it does not signal at all (another goroutine's doing,
// which may well wait for the server), a wait, a poll. Not: ctx.Done(),
// signals, timers, and what the server's goroutine signals before it
// listens or after it stopped.
//
// This one scan decides both the Unready fact of a helper (something is
// pending when it returns) and serverready's reports.
func (r *Result) Scan(events []Event, p *Pending, request func(Event, *Pending) bool) *Pending {
	for _, e := range events {
		switch e.Kind {
		case EventStart:
			p = pendingOf(append([]Pending{{Start: e}}, p.all()...))
		case EventBarrier:
			// A barrier ends the starts it waits for; a receive from what
			// one server signals once it listens says nothing of another
			// (a TestMain that waits for only some of its servers).
			starts := p.all()
			var still []Pending
			for _, q := range starts {
				switch {
				case !waitsFor(e, q.Start):
					still = append(still, q)
				case signalsOther(e, q.Start, starts):
					q.Partial = true
					still = append(still, q)
				}
			}
			p = pendingOf(still)
		case EventSleep:
			starts := p.all()
			for i := range starts {
				starts[i].Slept = e.Pos
			}
			p = pendingOf(starts)
		case EventRequest:
			if q := p.forRequest(e); q != nil && request != nil && request(e, q) {
				p = nil
			}
		case EventSubtest, EventCallback:
			if p != nil {
				p = r.Scan(r.Events(e.Lit.Body), p, request)
			}
		case EventCallParam:
			if q := p.Definite(); q != nil && request != nil {
				request(e, q)
			}
		}
	}
	return p
}

// signalsOther reports whether the barrier e receives what another of
// the pending starts signals once it listens, and start does not.
func signalsOther(e Event, start Event, pending []Pending) bool {
	if e.Ch == nil || slices.Contains(start.Ready, e.Ch) {
		return false
	}
	for _, q := range pending {
		if slices.Contains(q.Start.Ready, e.Ch) {
			return true
		}
	}
	return false
}

// waitsFor reports whether the barrier e waits until start's listener
// exists, as far as can be told.
func waitsFor(e Event, start Event) bool {
	switch {
	case e.Never:
		return false
	case e.Ch == nil || slices.Contains(start.Ready, e.Ch):
		return true
	}
	return !slices.Contains(start.NotReady, e.Ch)
}

// retries reports whether site hands a function literal that connects to a
// server to the function it calls: retry(func() error { ... http.Get ...}),
// a polling helper's shape. That waits for the server as a polling loop
// does.
func (r *Result) retries(site Site) bool {
	for _, op := range site.Operands {
		if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok && r.of(funcindex.Ref{Lit: lit}).Dials {
			return true
		}
	}
	return false
}

// polls reports whether call, which connects to a server, is made in a
// loop that tries again when it fails: the loop waits until the server
// answers. A loop that fails the test (or returns) when a request fails
// is a loop of requests, not a poll.
func (r *Result) polls(call *ast.CallExpr) bool {
	loop := r.Index.LoopOf(call)
	if loop == nil {
		return false
	}
	errVar := r.errVar[call]
	if errVar == nil {
		return true // the error is not looked at here: assume a poll
	}
	info := r.info
	decided, polling := false, true
	ast.Inspect(loop, func(n ast.Node) bool {
		if decided {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if n.Cond.Pos() > call.End() && testmodel.Mentions(info, n.Cond, errVar) {
				decided = true
				if failure := onFailure(info, n, errVar); failure != nil {
					polling = !r.failsOrReturns(failure)
				}
				return false
			}
		case *ast.CallExpr:
			// require.NoError(t, err): fails on the first error.
			if n.Pos() > call.End() && r.failsNowWith(n, errVar) {
				decided, polling = true, false
				return false
			}
		}
		return true
	})
	return polling
}

// onFailure returns the branch of ifs that runs when the call whose error
// is errVar failed: the body of if err != nil, the else of if err == nil;
// nil if there is none, or the condition says something else.
func onFailure(info *types.Info, ifs *ast.IfStmt, errVar *types.Var) *ast.BlockStmt {
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || !(testmodel.Mentions(info, cond.X, errVar) && isNil(info, cond.Y) || testmodel.Mentions(info, cond.Y, errVar) && isNil(info, cond.X)) {
		return nil
	}
	switch cond.Op {
	case token.NEQ:
		return ifs.Body
	case token.EQL:
		if els, ok := ifs.Else.(*ast.BlockStmt); ok {
			return els
		}
	}
	return nil
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// pollsCallback reports whether call, in f, calls a function parameter of
// f in a loop that sleeps between tries: a polling helper such as
// checkFor(t, timeout, tick, func() error { ... }), which waits for what
// its predicate checks as testify's Eventually does.
func (r *Result) pollsCallback(f *function, call *ast.CallExpr) bool {
	loop := r.Index.LoopOf(call)
	v := testmodel.VarOf(r.info, call.Fun)
	if loop == nil || v == nil || !slices.Contains(f.Params, v) {
		return false
	}
	within := func(pos token.Pos) bool { return loop.Pos() <= pos && pos < loop.End() }
	for _, op := range r.chanOps[f.Body] {
		if op.Timer && within(op.Pos) {
			return true
		}
	}
	for _, c := range r.Index.Calls(f.Body) {
		if fn, ok := typeutil.Callee(r.info, c).(*types.Func); ok && within(c.Pos()) && knowledge.Of(fn).Sleeps {
			return true
		}
	}
	return false
}

// failsOrReturns reports whether block gives up, rather than trying
// again: it stops the test, panics, or returns, and does not continue.
func (r *Result) failsOrReturns(block *ast.BlockStmt) bool {
	gives, retries := false, false
	ast.Inspect(block, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.CONTINUE {
				retries = true
			}
		case *ast.ReturnStmt:
			gives = true
		case *ast.CallExpr:
			if _, _, ok := testmodel.FailNowCall(r.info, n); ok {
				gives = true
			} else if fn, ok := typeutil.Callee(r.info, n).(*types.Func); ok {
				if knowledge.Of(fn).Sleeps {
					retries = true
				}
				if knowledge.Of(fn).FailsNow != 0 || knowledge.IsFunc(fn, "log", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln") {
					gives = true
				}
			} else if b, ok := typeutil.Callee(r.info, n).(*types.Builtin); ok && b.Name() == "panic" {
				gives = true
			}
		}
		return true
	})
	return gives && !retries
}

// failsNowWith reports whether call stops the test when given v:
// require.NoError(t, err).
func (r *Result) failsNowWith(call *ast.CallExpr, v *types.Var) bool {
	fn, ok := typeutil.Callee(r.info, call).(*types.Func)
	if !ok || knowledge.Of(fn).FailsNow == 0 {
		return false
	}
	for _, arg := range call.Args {
		if testmodel.VarOf(r.info, arg) == v {
			return true
		}
	}
	return false
}

// signals returns what the goroutine running ref's code signals (sends on,
// closes, marks Done) once its listener exists, and what it signals
// before that or after its server stopped: a function that listens and
// serves (ListenAndServe) returns only when the server is done, while one
// that binds (net.Listen) returns with the listener open. A deferred
// signal runs when the goroutine ends.
func (r *Result) signals(ref funcindex.Ref) (ready, notReady []*types.Var) {
	body := r.Index.Body(ref)
	if body == nil {
		return nil, nil
	}
	type signal struct {
		pos      token.Pos
		ch       *types.Var
		deferred bool
		effect   *Summary // for a call that is not a signal
	}
	var steps []signal
	for _, op := range r.chanOps[body] {
		if !op.Recv && op.Ch != nil {
			steps = append(steps, signal{pos: op.Pos, ch: op.Ch, deferred: op.Deferred})
		}
	}
	for _, site := range r.Sites(body) {
		if site.Go != nil || !site.Resolved {
			continue
		}
		if knowledge.IsMethod(site.Ref.Func, "sync", "WaitGroup", "Done") {
			steps = append(steps, signal{pos: site.Call.Pos(), ch: r.groupOf(site), deferred: r.Index.IsDeferred(site.Call)})
			continue
		}
		steps = append(steps, signal{pos: site.Call.Pos(), effect: r.Effect(site.Ref)})
	}
	slices.SortStableFunc(steps, func(a, b signal) int { return int(a.pos - b.pos) })
	bound, served := false, false
	for _, s := range steps {
		switch {
		case s.effect != nil:
			if s.effect.Binds && !served {
				bound = true
			} else if s.effect.Listens || s.effect.Unready {
				served = true
			}
		case s.ch == nil:
		case bound && !served && !s.deferred:
			ready = append(ready, s.ch)
		default:
			notReady = append(notReady, s.ch)
		}
	}
	return ready, notReady
}
