package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// resources models which variables of a function declaration (or of a
// function literal outside any) stand for the
// same resource, so that a defer tearing down one is matched with a subtest
// using another: variables assigned together from one call
// (ctx, cancel := context.WithCancel(...)) are one resource, and a variable
// computed from others (url := ts.URL, repo := NewRepo(db)) depends on them.
//
// A value that is data read out of a resource before the subtests start
// (page := fetch(t, ts.URL), key := store.VerifyKey(), n := len(rows)) is
// a snapshot: it is computed from nothing, and closing the resource leaves
// it as it was. See flow for how a snapshot is told from a reference.
type resources struct {
	info    *types.Info
	fam     *parallelism
	node    ast.Node                    // the function the model is of
	snaps   *snapshots                  // judgements of the callees, shared with their models
	group   map[*types.Var][]*types.Var // assigned together from one call
	from    map[*types.Var][]*types.Var // computed from
	assigns map[*types.Var][]assignment // every value each variable is assigned
}

// An assignment is one value a variable is assigned: rhs, or result index
// of the multi-valued call rhs (-1: rhs is single-valued, or is ranged over).
type assignment struct {
	rhs   ast.Expr
	index int
}

// resourcesOf returns the model of the variables of root, an
// *ast.FuncDecl or an outermost *ast.FuncLit, built once in the pass: a
// model's judgements of its callees are its own (see snapshots), so the
// fixed point and the checks share it.
func (p *parallelism) resourcesOf(root ast.Node) *resources {
	if x, ok := p.models[root]; ok {
		return x
	}
	x := newResourcesIn(newSnapshots(p), root)
	p.models[root] = x
	return x
}

// newResourcesIn builds the model of the function node, judging the
// callees it looks into with snaps.
func newResourcesIn(snaps *snapshots, node ast.Node) *resources {
	r := &resources{
		info:    snaps.fam.info,
		fam:     snaps.fam,
		node:    node,
		snaps:   snaps,
		group:   make(map[*types.Var][]*types.Var),
		from:    make(map[*types.Var][]*types.Var),
		assigns: make(map[*types.Var][]assignment),
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			r.serve(n)
		case *ast.AssignStmt:
			r.assign(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, name := range n.Names {
				lhs[i] = name
			}
			r.assign(lhs, n.Values)
		case *ast.RangeStmt:
			if n.Tok != token.ILLEGAL {
				r.assignRange([]ast.Expr{n.Key, n.Value}, n.X)
			}
		}
		return true
	})
	return r
}

// assign records lhs = rhs. A variable is computed from the variables
// whose resources the value it is assigned may refer to (flow): none, for a
// snapshot.
func (r *resources) assign(lhs, rhs []ast.Expr) {
	if len(rhs) == 0 {
		return
	}
	roots := r.roots(lhs)
	if len(lhs) == len(rhs) {
		for i, v := range roots {
			if v != nil {
				r.assigned(v, assignment{rhs: rhs[i], index: -1})
			}
		}
		return
	}
	// One call with several results: one resource. Results that are data
	// computed without it (a body read, a count) do not belong with it.
	var together []*types.Var
	for i, v := range roots {
		if v != nil && !r.assigned(v, assignment{rhs: rhs[0], index: i}) {
			together = append(together, v)
		}
	}
	if len(together) > 1 {
		for _, v := range together {
			r.group[v] = append(r.group[v], together...)
		}
	}
}

// assignRange records for key, value := range x.
func (r *resources) assignRange(lhs []ast.Expr, x ast.Expr) {
	for _, v := range r.roots(lhs) {
		if v != nil {
			r.assigned(v, assignment{rhs: x, index: -1})
		}
	}
}

// roots returns the variables that assigning to lhs assigns (part of).
func (r *resources) roots(lhs []ast.Expr) []*types.Var {
	roots := make([]*types.Var, len(lhs))
	for i, e := range lhs {
		if e != nil {
			if v := testmodel.RootVar(r.info, e); v != nil && !r.ignored(v) {
				roots[i] = v
			}
		}
	}
	return roots
}

// assigned records that v is assigned a, and adds the edges to what a's
// value refers to; it reports whether the value is plain data whose
// references flow knows exactly.
func (r *resources) assigned(v *types.Var, a assignment) bool {
	r.assigns[v] = append(r.assigns[v], a)
	vars, ok := r.flowAt(a.rhs, a.index)
	if !ok {
		r.from[v] = r.vars(a.rhs, r.from[v])
		return false
	}
	for _, w := range vars {
		if !r.ignored(w) && !slices.Contains(r.from[v], w) {
			r.from[v] = append(r.from[v], w)
		}
	}
	return true
}

// serve records srv.Serve(ln) (and ServeTLS, grpc's Serve, http.Serve):
// the server owns the listener from then on, and stopping it closes the
// listener, so the two are one resource.
func (r *resources) serve(call *ast.CallExpr) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "Serve") {
		return
	}
	var ln *types.Var
	for _, arg := range call.Args {
		if knowledge.IsNetListener(r.info.TypeOf(arg)) {
			ln = testmodel.RootVar(r.info, arg)
		}
	}
	if ln == nil {
		return
	}
	srv := testmodel.RootVar(r.info, sel.X)
	if srv == nil || r.info.Selections[sel] == nil { // http.Serve(ln, h): the handler's server
		return
	}
	r.group[srv] = append(r.group[srv], ln)
	r.group[ln] = append(r.group[ln], srv)
}

// vars appends the variables that e uses and that may stand for a resource.
func (r *resources) vars(e ast.Expr, to []*types.Var) []*types.Var {
	for _, v := range r.fam.vars(e, nil) {
		if !r.ignored(v) {
			to = append(to, v)
		}
	}
	return to
}

// ignored reports whether v never stands for a resource: errors, which are
// assigned alongside everything (x, err := ...), and testing values, which
// the subtests have their own of.
func (r *resources) ignored(v *types.Var) bool { return ignored(v) }

func ignored(v *types.Var) bool {
	t := v.Type()
	return types.Identical(t, types.Universe.Lookup("error").Type()) || testmodel.IsTestingType(t)
}

// of returns the resources that a call touches: the variables its
// receiver, arguments and body use, and those assigned together with them.
func (r *resources) of(call *ast.CallExpr) map[*types.Var]bool {
	set := make(map[*types.Var]bool)
	for _, v := range r.vars(call, nil) {
		set[v] = true
		for _, w := range r.group[v] {
			set[w] = true
		}
	}
	return set
}

// sharesWith reports whether code using v uses one of the resources: v is
// one, or belongs with one, or was computed from one, transitively.
func (r *resources) sharesWith(v *types.Var, set map[*types.Var]bool) bool {
	found := false
	r.reach(v, func(w *types.Var) bool {
		found = set[w]
		return !found
	})
	return found
}

// fieldsTo returns the fields of the struct v holds (or points to) through
// which alone v shares with set: every value v is assigned is a struct
// literal with keyed fields (or its address), and only the values of
// these fields share with set. It is false otherwise: v is in set, or
// belongs with what is, or is assigned anything else.
func (r *resources) fieldsTo(v *types.Var, set map[*types.Var]bool) ([]*types.Var, bool) {
	if set[v] || len(r.group[v]) > 0 || len(r.assigns[v]) == 0 {
		return nil, false
	}
	var fields []*types.Var
	for _, a := range r.assigns[v] {
		lit := structLiteral(r.info, a)
		if lit == nil {
			return nil, false
		}
		// As assigned does: what a value that flow does not understand
		// uses, it refers to.
		_, understood := r.flowAt(a.rhs, a.index)
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			key, _ := kv.Key.(*ast.Ident)
			if !ok || key == nil {
				return nil, false
			}
			field, _ := r.info.Uses[key].(*types.Var)
			if field == nil {
				return nil, false
			}
			vars, ok := r.flowAt(kv.Value, -1)
			if !understood || !ok {
				vars = r.vars(kv.Value, nil)
			}
			for _, w := range vars {
				if r.sharesWith(w, set) && !slices.Contains(fields, field) {
					fields = append(fields, field)
				}
			}
		}
	}
	return fields, len(fields) > 0
}

// structLiteral returns the struct literal that a assigns, T{...} or
// &T{...}; nil if it assigns anything else.
func structLiteral(info *types.Info, a assignment) *ast.CompositeLit {
	if a.index >= 0 {
		return nil
	}
	e := ast.Unparen(a.rhs)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	if t := info.TypeOf(lit); t == nil {
		return nil
	} else if _, ok := t.Underlying().(*types.Struct); !ok {
		return nil
	}
	return lit
}

// reach calls f for v and every variable that v belongs with or was
// computed from, transitively, until f returns false.
func (r *resources) reach(v *types.Var, f func(*types.Var) bool) {
	if r.ignored(v) {
		return
	}
	seen := map[*types.Var]bool{v: true}
	work := []*types.Var{v}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if !f(v) {
			return
		}
		for _, edges := range [][]*types.Var{r.group[v], r.from[v]} {
			for _, w := range edges {
				if !seen[w] {
					seen[w] = true
					work = append(work, w)
				}
			}
		}
	}
}
