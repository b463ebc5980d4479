package summary

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A KeptRun is a callback that one call keeps (app.Get(path, h),
// nc.Subscribe(subj, cb), w.OnChange(cb)) and that another call of the
// same test function (or the same call) runs on a goroutine of its own
// (go app.Listener(ln), w.Start()).
type KeptRun struct {
	Site   Site            // the call that keeps the callbacks
	In     *funcindex.Func // the function that makes it
	Stored Stored          // which operands it keeps, and as what
	Runs   *ast.CallExpr   // the call that runs them on a goroutine
	// Owner is the value whose state keeps them (w in w.OnChange(cb), s
	// in RegisterGreeterServer(s, impl), srv in srv := NewServer(h)).
	Owner *types.Var
	// Lasting: the goroutines that run them outlive Runs (a go
	// statement; a start that waits for nothing), so they also run
	// callbacks kept after it, and may run after the test.
	Lasting bool
}

// KeptRuns pairs, in each function of the package, the calls that keep
// callbacks with a call that runs callbacks of that kind on a goroutine:
// one of the same owner, made with the keeping call or after it (or
// before it, when its goroutines last). A callback kept by a registry
// that the test runs itself, on its own goroutine, or that nothing the
// test calls runs on a goroutine, is in none.
func (r *Result) KeptRuns() []KeptRun { return r.keptRuns }

// pairKeptRuns computes KeptRuns, once the summaries are done (failnow and
// aftertest both read them).
func (r *Result) pairKeptRuns() []KeptRun {
	type runner struct {
		call    *ast.CallExpr
		owner   *types.Var // the value it runs callbacks of (app in app.Test, w in w := watch.New())
		kinds   []string
		sync    bool // runs them on the calling goroutine
		lasting bool
	}
	type keeper struct {
		site Site
		in   *funcindex.Func
		root ast.Node
	}
	runners := make(map[ast.Node][]runner) // by the function they are in
	var keepers []keeper
	for _, fn := range r.Index.Funcs() {
		root := fn.Root().Node
		for _, site := range r.Sites(fn.Body) {
			if !site.Resolved {
				continue
			}
			e := r.Effect(site.Ref)
			if site.Go != nil {
				// go app.Listener(ln): what it calls and what it runs both
				// run off the test's goroutine.
				if kinds := slices.Concat(e.CallsStored, e.RunsStored); len(kinds) > 0 {
					// go func() { s.Publish(m) }() runs the callbacks once,
					// on that goroutine: the test's own, judged as such.
					_, once := ast.Unparen(site.Call.Fun).(*ast.FuncLit)
					once = once && len(e.RunsStored) == 0 && !e.Waits
					runners[root] = append(runners[root], runner{site.Call, r.runnerOwner(site), kinds, false, !once})
				}
				if len(e.Stores) > 0 { // go fcgi.Serve(ln, h) keeps h and runs it
					keepers = append(keepers, keeper{site, fn, root})
				}
				continue
			}
			if len(e.RunsStored) > 0 {
				runners[root] = append(runners[root], runner{site.Call, r.runnerOwner(site), e.RunsStored, false, !e.Waits})
			}
			if len(e.CallsStored) > 0 && !r.startedByGo(fn) {
				// In go func() { s.Publish(m) }() what s.Publish calls runs
				// on the literal's goroutine: the go statement is the runner.
				runners[root] = append(runners[root], runner{site.Call, r.runnerOwner(site), e.CallsStored, true, false})
			}
			if len(e.Stores) > 0 {
				keepers = append(keepers, keeper{site, fn, root})
			}
		}
	}
	var out []KeptRun
	for _, k := range keepers {
		site := k.site
		for _, st := range r.Effect(site.Ref).Stores {
			owner := r.keeperOwner(site, st)
			// A package function keeping the callback in package state
			// (HandleFunc into a DefaultServeMux) keeps it for whichever
			// server of the package runs callbacks of its kind on a
			// goroutine; a call that runs them here is not known to be
			// running that one.
			global := owner == nil && st.Into < 0 && st.Into != IntoResult
			var runs *runner
			driven := false
			for i, rn := range runners[k.root] {
				if !slices.Contains(rn.kinds, st.Kind) || rn.call.Pos() < site.Call.Pos() && !rn.lasting {
					continue
				}
				if rn.call != site.Call && !r.sameOwner(owner, rn.owner, rn.call) && !(global && !rn.sync) {
					continue
				}
				if rn.sync && rn.call != site.Call {
					driven = true
				} else if !rn.sync && (runs == nil || rn.call == site.Call) {
					runs = &runners[k.root][i]
				}
			}
			if runs == nil || driven {
				continue
			}
			out = append(out, KeptRun{Site: site, In: k.in, Stored: st, Runs: runs.call, Owner: owner, Lasting: runs.lasting})
		}
	}
	return out
}

// keeperOwner returns the value in whose state site keeps the callbacks
// st says: the operand st names (s in RegisterGreeterServer(s, impl)), the
// variable a constructor's result is assigned to, else the receiver.
func (r *Result) keeperOwner(site Site, st Stored) *types.Var {
	if st.Into == IntoResult {
		return r.AssignedTo(site.Call) // srv := NewServer(h)
	}
	if st.Into >= 0 && st.Into < len(site.Operands) {
		if v := testmodel.RootVar(r.info, site.Operands[st.Into]); v != nil {
			return v
		}
	}
	return r.ReceiverVar(site)
}

// runnerOwner returns the value whose callbacks site runs: its receiver,
// or, for a constructor, the variable its result is assigned to.
func (r *Result) runnerOwner(site Site) *types.Var {
	if v := r.ReceiverVar(site); v != nil {
		return v
	}
	return r.AssignedTo(site.Call)
}

// sameOwner reports whether the callbacks that a keeper with owner keeps
// are those that a runner call with owner runs: the same value, the
// runner is handed the keeper's (worker.Run(reg)), or the runner's value
// was built, once, by a call given it (c := NewClient(opts), which takes
// the options' handlers into the client; srv := &http.Server{Handler:
// mux}).
func (r *Result) sameOwner(keeper, runner *types.Var, call *ast.CallExpr) bool {
	switch {
	case keeper == runner:
		return true
	case keeper == nil:
		return false
	case testmodel.Mentions(r.info, call, keeper):
		return true
	case r.givenBy(keeper, call):
		return true // client, mux, url := setup(t): the mux it serves
	case runner == nil:
		return false
	}
	switch built := ast.Unparen(r.Index.Def(runner)).(type) {
	case *ast.CallExpr:
		return testmodel.Mentions(r.info, built, keeper)
	case *ast.UnaryExpr: // srv := &http.Server{Handler: mux}
		lit, ok := ast.Unparen(built.X).(*ast.CompositeLit)
		return ok && testmodel.Mentions(r.info, lit, keeper)
	case *ast.CompositeLit:
		return testmodel.Mentions(r.info, built, keeper)
	}
	return false
}

// givenBy reports whether v is given only a result of call.
func (r *Result) givenBy(v *types.Var, call *ast.CallExpr) bool {
	as := r.Index.Assignments(v)
	return len(as) == 1 && ast.Unparen(as[0].Value) == call
}

// startedByGo reports whether fn is a literal that a go statement starts.
func (r *Result) startedByGo(fn *funcindex.Func) bool {
	lit, ok := fn.Node.(*ast.FuncLit)
	return ok && r.Index.GoOf(r.Index.CallOf(lit)) != nil
}
