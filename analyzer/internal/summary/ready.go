package summary

import (
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A ChanOp is a channel operation that a function makes itself.
type ChanOp struct {
	Pos   token.Pos
	Ch    *types.Var // the channel's variable, if it is one
	Recv  bool       // a receive or a range over a channel; else a send or close
	Timer bool       // a receive from time.After, time.Tick or a timer's C: a sleep
}

// isTimerChan reports whether ch is a timer's channel: time.After(d),
// time.Tick(d), t.C of a *time.Timer or *time.Ticker. Receiving from one
// is sleeping.
func isTimerChan(info *types.Info, ch ast.Expr) bool {
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(info, e)
		return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && (fn.Name() == "After" || fn.Name() == "Tick")
	case *ast.SelectorExpr:
		if e.Sel.Name != "C" {
			return false
		}
		t := info.TypeOf(e.X)
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem()
		}
		named, ok := t.(*types.Named)
		return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" && (named.Obj().Name() == "Timer" || named.Obj().Name() == "Ticker")
	}
	return false
}

// hasDefault reports whether a select has a default clause.
func hasDefault(s *ast.SelectStmt) bool {
	for _, clause := range s.Body.List {
		if comm, ok := clause.(*ast.CommClause); ok && comm.Comm == nil {
			return true
		}
	}
	return false
}

// The standard library's functions that create a listener, connect to a
// server, or wait for other goroutines, by qualified name.
var (
	listenFuncs = map[string]bool{
		"net/http.ListenAndServe": true, "net/http.ListenAndServeTLS": true,
		"net/http.Server.ListenAndServe": true, "net/http.Server.ListenAndServeTLS": true,
		"net.Listen": true, "net.ListenTCP": true, "net.ListenUnix": true,
		"net.ListenConfig.Listen": true, "crypto/tls.Listen": true,
	}
	requestFuncs = map[string]bool{
		"net/http.Get": true, "net/http.Head": true, "net/http.Post": true, "net/http.PostForm": true,
		"net/http.Client.Do": true, "net/http.Client.Get": true, "net/http.Client.Head": true,
		"net/http.Client.Post": true, "net/http.Client.PostForm": true,
		"net.Dial": true, "net.DialTimeout": true, "net.DialTCP": true, "net.DialUnix": true,
		"net.Dialer.Dial": true, "net.Dialer.DialContext": true,
		"crypto/tls.Dial": true, "crypto/tls.DialWithDialer": true, "crypto/tls.Dialer.DialContext": true,
	}
	waitFuncs = map[string]bool{"sync.WaitGroup.Wait": true, "sync.Cond.Wait": true}
)

// readinessKind names what a call of fn, known without its code, does.
func readinessKind(fn *types.Func) (listen, request, wait bool) {
	if fn == nil || fn.Pkg() == nil {
		return
	}
	path := fn.Pkg().Path()
	switch {
	case path == "net" || path == "net/http" || path == "crypto/tls":
		name := qualifiedName(fn)
		return listenFuncs[name], requestFuncs[name], false
	case path == "sync":
		return false, false, waitFuncs[qualifiedName(fn)]
	case strings.HasSuffix(path, "github.com/stretchr/testify/assert") || strings.HasSuffix(path, "github.com/stretchr/testify/require"):
		return false, false, strings.HasPrefix(fn.Name(), "Eventually")
	}
	return
}

// knownReadiness reports whether fn is one of the functions that
// readinessKind, time.Sleep or testing.M.Run name.
func knownReadiness(fn *types.Func) bool {
	listen, request, wait := readinessKind(fn)
	return listen || request || wait || isSleep(fn) || isMRun(fn)
}

func isSleep(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep"
}

// isMRun reports whether fn is (*testing.M).Run: in TestMain, it runs the
// tests, which send the requests.
func isMRun(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "testing" && qualifiedName(fn) == "testing.M.Run"
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
			if site.Resolved && r.listens(site.Ref) {
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
		callee := r.Of(site.Ref)
		listen, request, wait := readinessKind(site.Ref.Func)
		async := callee.Async | AsyncOperands(site.Ref.Func)
		for j, op := range site.Operands {
			if async.Has(j) {
				if fref, ok := r.Funcs.Resolve(op); ok && r.listens(fref) {
					events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Early: r.earlySignals(fref)})
				}
			}
		}
		callee = readinessOf(callee, site.Ref.Func, listen || request || wait || isMRun(site.Ref.Func))
		switch {
		case callee.Unready:
			events = append(events, Event{Kind: EventStart, Pos: call.Pos(), Node: call, Call: call, By: site.Ref})
		case wait || callee.Waits || r.retries(site):
			// A function that waits, a polling helper among them.
			events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call})
		case request || callee.Dials || isMRun(site.Ref.Func):
			if r.inLoop[call] && !isMRun(site.Ref.Func) {
				// Dialing in a loop: polling until the server answers.
				events = append(events, Event{Kind: EventBarrier, Pos: call.Pos(), Node: call})
			} else {
				events = append(events, Event{Kind: EventRequest, Pos: call.Pos(), Node: call, Call: call})
			}
		case isSleep(site.Ref.Func):
			events = append(events, Event{Kind: EventSleep, Pos: call.Pos(), Node: call})
		}
	}
	slices.SortStableFunc(events, func(a, b Event) int { return int(a.Pos - b.Pos) })
	return events
}

// retries reports whether site hands a function literal that connects to a
// server to the function it calls: retry(func() error { ... http.Get ...}),
// a polling helper's shape. That waits for the server as a polling loop
// does.
func (r *Result) retries(site Site) bool {
	for _, op := range site.Operands {
		if lit, ok := ast.Unparen(op).(*ast.FuncLit); ok && r.Of(testmodel.Ref{Lit: lit}).Dials {
			return true
		}
	}
	return false
}

// listens reports whether calling ref creates a listener.
func (r *Result) listens(ref testmodel.Ref) bool {
	listen, _, _ := readinessKind(ref.Func)
	return listen || r.Of(ref).Listens
}

// readinessOf returns the summary to read the readiness facts of fn from:
// none for the functions known by name, whose own code (a request waits
// for its connection) does not mean what it would in a test; and for the
// standard library's other functions, no Waits, for the same reason: its
// internal waits are not a readiness signal for a test's server.
func readinessOf(s *Summary, fn *types.Func, known bool) *Summary {
	if known {
		return &empty
	}
	if s.Waits && fn != nil && fn.Pkg() != nil && isStd(fn.Pkg().Path()) {
		c := *s
		c.Waits = false
		return &c
	}
	return s
}

// isStd reports whether path is a standard library package's: its first
// element has no dot, and GOROOT has it.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") {
		return false
	}
	if std, ok := stdCache.Load(path); ok {
		return std.(bool)
	}
	_, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	stdCache.Store(path, err == nil)
	return err == nil
}

var stdCache sync.Map // package path -> bool

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
		if site.Go == nil && site.Resolved && r.listens(site.Ref) {
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

// readiness sets the readiness facts of the function with body.
func (r *Result) readiness(body *ast.BlockStmt, s *Summary) {
	for _, op := range r.chanOps[body] {
		if op.Recv && !op.Timer {
			s.Waits = true
		}
	}
	mayStart := false // only a function that may start a server can be unready
	for _, site := range r.Sites(body) {
		if site.Go != nil {
			mayStart = true
		}
		if site.Go != nil || !site.Resolved {
			continue
		}
		callee := r.Of(site.Ref)
		if callee.Unready || callee.Async != 0 || AsyncOperands(site.Ref.Func) != 0 {
			mayStart = true
		}
		listen, request, wait := readinessKind(site.Ref.Func)
		callee = readinessOf(callee, site.Ref.Func, listen || request || wait || isMRun(site.Ref.Func))
		if listen || callee.Listens {
			s.Listens = true
		}
		if request || callee.Dials {
			s.Dials = true
			if r.inLoop[site.Call] {
				s.Waits = true // polls
			}
		}
		if wait || callee.Waits || r.retries(site) {
			s.Waits = true
		}
	}
	if !mayStart {
		return
	}
	// Unready: a start that nothing after it in the function waits for.
	pending := false
	for _, e := range r.Events(body) {
		switch e.Kind {
		case EventStart:
			pending = true
		case EventBarrier:
			pending = false
		}
	}
	if pending {
		s.Unready = true
	}
}
