package summary

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A ChanOp is a channel operation that a function makes itself.
type ChanOp struct {
	Pos   token.Pos
	Ch    *types.Var // the variable the channel is reached from, if any
	Recv  bool       // a receive or a range over a channel; else a send or close
	Timer bool       // a receive from time.After, time.Tick or a timer's C: a sleep
}

// readiness adds to s what a call at site, doing callee, does to server
// readiness: it listens, dials (in a loop: polls, and so waits), or waits.
func (r *Result) readiness(site Site, callee *Summary, s *Summary) {
	if callee.Listens {
		s.Listens = true
	}
	if callee.Dials {
		s.Dials = true
		if r.inLoop[site.Call] {
			s.Waits = true // polls
		}
	}
	if callee.Waits || r.retries(site) {
		s.Waits = true
	}
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

// EventKind is the kind of an Event.
type EventKind int

// The kinds of event that decide whether a request can reach a server
// before it listens.
const (
	EventStart   EventKind = iota // a server starts on another goroutine
	EventBarrier                  // the function waits for another goroutine
	EventRequest                  // the function connects to a server
	EventSleep                    // time.Sleep: not a barrier
	EventSubtest                  // t.Run(name, func(t) {...}): its body runs now
)

// An Event is something a function does, in source order, that matters to
// whether its requests can run before its servers listen.
type Event struct {
	Kind  EventKind
	Pos   token.Pos
	Node  ast.Node      // the go statement or call; nil for a channel operation
	Call  *ast.CallExpr // the call, for a start by a helper, a request, a subtest
	Ch    *types.Var    // for a receive: its channel
	Early []*types.Var  // for a start: channels its goroutine signals before it listens
	Lit   *ast.FuncLit  // for a subtest: its body
	By    testmodel.Ref // for a start by a helper that returns too early: the helper
	Tests bool          // for a request: m.Run, whose tests send the requests
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
			events = append(events, Event{Kind: EventBarrier, Pos: op.Pos, Ch: op.Ch})
		}
	}
	for _, site := range r.Sites(body) {
		call := site.Call
		if r.deferred[call] {
			continue // it runs when the function returns, not here
		}
		switch {
		case site.Go != nil:
			if site.Resolved && r.Effect(site.Ref).Listens {
				events = append(events, Event{Kind: EventStart, Pos: site.Go.Pos(), Node: site.Go, Early: r.earlySignals(site.Ref)})
			}
			continue
		case site.Run != nil:
			if lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit); ok {
				events = append(events, Event{Kind: EventSubtest, Pos: call.Pos(), Node: call, Call: call, Lit: lit})
			}
			continue
		case !site.Resolved:
			continue
		}
		callee := r.Effect(site.Ref)
		for j, op := range site.Operands {
			if callee.Async.Has(j) {
				if fref, ok := r.Funcs.Resolve(op); ok && r.Effect(fref).Listens {
					events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Early: r.earlySignals(fref)})
				}
			}
		}
		switch {
		case callee.Unready:
			events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Call: call, By: site.Ref})
		case callee.Waits || r.retries(site):
			// A function that waits, a polling helper among them.
			events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call})
		case callee.RunsTests:
			events = append(events, Event{Kind: EventRequest, Pos: call.Pos(), Node: call, Call: call, Tests: true})
		case callee.Dials && r.inLoop[call]:
			// Dialing in a loop: polling until the server answers.
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

// A Pending is a server start that nothing has waited for yet.
type Pending struct {
	Start Event
	Slept token.Pos // a time.Sleep (or a receive from time.After) since the start
}

// Scan walks events in order, with p pending when they begin (nil for
// none; a subtest body's events are scanned where t.Run runs them), and
// returns what is pending after them. A receive from a channel that the
// server's goroutine signals before it listens is no barrier. request, if
// not nil, is called for each request made while a start is pending; when
// it returns true, the start counts as dealt with.
//
// This one scan decides both the Unready fact of a helper (something is
// pending when it returns) and serverready's reports.
func (r *Result) Scan(events []Event, p *Pending, request func(Event, *Pending) bool) *Pending {
	for _, e := range events {
		switch e.Kind {
		case EventStart:
			p = &Pending{Start: e}
		case EventBarrier:
			if p != nil && e.Ch != nil && slices.Contains(p.Start.Early, e.Ch) {
				continue // signalled before the server listens: no readiness
			}
			p = nil
		case EventSleep:
			if p != nil {
				p = &Pending{Start: p.Start, Slept: e.Pos}
			}
		case EventRequest:
			if p != nil && request != nil && request(e, p) {
				p = nil
			}
		case EventSubtest:
			if p != nil {
				p = r.Scan(r.Events(e.Lit.Body), p, request)
			}
		}
	}
	return p
}

// retries reports whether site hands a function literal that connects to a
// server to the function it calls: retry(func() error { ... http.Get ...}),
// a polling helper's shape. That waits for the server as a polling loop
// does.
func (r *Result) retries(site Site) bool {
	for _, op := range site.Operands {
		if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok && r.of(testmodel.Ref{Lit: lit}).Dials {
			return true
		}
	}
	return false
}

// earlySignals returns the channels that ref's code sends on or closes
// before it creates its listener: a receive from one of them does not
// mean the server listens.
func (r *Result) earlySignals(ref testmodel.Ref) []*types.Var {
	body := r.Funcs.Body(ref)
	if body == nil {
		return nil
	}
	listenAt := token.NoPos
	for _, site := range r.Sites(body) {
		if site.Go == nil && site.Resolved && r.Effect(site.Ref).Listens {
			listenAt = site.Call.Pos()
			break
		}
	}
	var early []*types.Var
	for _, op := range r.chanOps[body] {
		if !op.Recv && op.Ch != nil && (listenAt == token.NoPos || op.Pos < listenAt) {
			early = append(early, op.Ch)
		}
	}
	return early
}
