package deferparallel

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Fields a subtest never reads.
//
// A subtest that uses a struct shares with a deferred call only through
// the fields that hold what the call tears down. Golden-file tests keep
// the command that regenerates a file next to what replays it, and run
// the command only when updating (crypto/tls):
//
//	path := tempFile()
//	defer os.Remove(path)
//	runGolden(t, &golden{name: "issue", command: []string{"openssl", "-sess_out", path}})
//
//	func runGolden(t *testing.T, g *golden) {
//		ok := t.Run(g.name, func(t *testing.T) {
//			if !*update {
//				t.Parallel()
//			}
//			g.run(t, false) // reads g.command only when its write is true
//		})
//		if !ok && *update {
//			t.Run(g.name+"#update", func(t *testing.T) { g.run(t, true) }) // never parallel with the others
//		}
//	}
//
// fieldQuery follows the struct from the test into the code its parallel
// subtests run, through helpers and copies of it, a method value handed
// to a helper, and the calls of its methods, and looks for a read of one
// of those fields after the subtests became parallel. Code it never runs
// is left out: a branch on a parameter that every call passes a constant
// making it false (g.run(t, false): if write {...}), and code under a
// condition on a flag that excludes the ones under which the subtests are
// parallel (if *update, when they are parallel only if !*update: in that
// test run they are not parallel, and end before the test function
// returns). Anything else that it does not follow is a read.
type fieldQuery struct {
	c      *checker
	fields []*types.Var
	// parallel is what holds whenever the subtests run in parallel.
	parallel guard
	visiting map[visitKey]bool
}

type visitKey struct {
	body   *ast.BlockStmt
	x      *types.Var
	strict bool
}

// readContext is what holds for the code a query walks.
type readContext struct {
	// strict: the code runs after the subtests became parallel, or what
	// it computes is kept: any read of the fields counts.
	strict bool
	// from: in the body of the subtest itself, the code at and after from
	// runs in parallel.
	from token.Pos
	// consts are parameters bound to constant booleans by the call.
	consts map[*types.Var]bool
	guard  guard // what holds for the call to run
	depth  int
}

const maxFieldDepth = 8

// mayReadShared reports whether the subtests st may read, once parallel,
// what v shares with the deferred set: always, unless v shares with it
// only through fields of a struct that the query shows they never read.
// g holds whenever st's subtests run in parallel.
func (c *checker) mayReadShared(st parallelSubtest, g guard, v *types.Var, res *resources, deferred map[*types.Var]bool) bool {
	idx, info := c.fam.index, c.pass.TypesInfo
	start := c.guards.of(st.Start, c.root)
	if st.Name != nil { // t.Run(name, func(t *testing.T) { ... })
		fields, ok := res.fieldsTo(v, deferred)
		lit, isLit := ast.Unparen(st.Start.Args[1]).(*ast.FuncLit)
		if !ok || !isLit || idx.Func(lit) == nil {
			return true
		}
		q := c.fieldQuery(fields, g)
		if q.callsClosures(lit) {
			return true
		}
		cx := readContext{strict: true, guard: start}
		if st.Parallel.Pos() >= lit.Pos() && st.Parallel.End() <= lit.End() {
			cx.strict, cx.from = false, st.Parallel.Pos()
		}
		return q.mayRead(idx.Func(lit), v, cx)
	}
	// Started by a helper: follow the operands that hold v into it.
	ref, operands, ok := idx.Callee(st.Start)
	f := c.fam.funcOf(ref)
	if !ok || f == nil {
		return true
	}
	mentioned := false
	for i, op := range operands {
		if !testmodel.Mentions(info, op, v) {
			if slices.Contains(c.fam.vars(op, nil), v) {
				return true // through a closure
			}
			continue
		}
		mentioned = true
		if i >= len(f.Params) || idx.Variadic(ref) && i >= len(f.Params)-1 {
			return true
		}
		var fields []*types.Var
		if id, isIdent := ast.Unparen(op).(*ast.Ident); isIdent && info.Uses[id] == v {
			fields, ok = res.fieldsTo(v, deferred)
		} else {
			fields, ok = c.literalFields(op, v) // helper(t, &T{F: v})
		}
		if !ok {
			return true
		}
		q := c.fieldQuery(fields, g)
		if q.mayRead(f, f.Params[i], readContext{consts: q.constArgs(f, operands), guard: start}) {
			return true
		}
	}
	return !mentioned
}

func (c *checker) fieldQuery(fields []*types.Var, parallel guard) *fieldQuery {
	return &fieldQuery{c: c, fields: fields, parallel: parallel, visiting: make(map[visitKey]bool)}
}

// literalFields returns the fields of the struct literal e (T{...} or
// &T{...}, keyed) whose values use v, themselves or through closures;
// false if e is no such literal.
func (c *checker) literalFields(e ast.Expr, v *types.Var) ([]*types.Var, bool) {
	info := c.pass.TypesInfo
	lit := structLiteral(info, assignment{rhs: e, index: -1})
	if lit == nil {
		return nil, false
	}
	var fields []*types.Var
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, false
		}
		key, _ := kv.Key.(*ast.Ident)
		field, _ := info.Uses[key].(*types.Var)
		if field == nil {
			return nil, false
		}
		if testmodel.Mentions(info, kv.Value, v) || slices.Contains(c.fam.vars(kv.Value, nil), v) {
			fields = append(fields, field)
		}
	}
	return fields, len(fields) > 0
}

// callsClosures reports whether lit mentions a function variable declared
// outside it that holds a function literal: what the subtest uses through
// that closure is not in its own body.
func (q *fieldQuery) callsClosures(lit *ast.FuncLit) bool {
	info, idx := q.c.pass.TypesInfo, q.c.fam.index
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && declaredOutside(v, lit) {
				for _, b := range idx.Bindings(v) {
					if _, ok := ast.Unparen(b).(*ast.FuncLit); ok {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// mayRead reports whether f's code, run as cx says, may read one of the
// fields of the struct that x (a variable of f) holds or points to.
func (q *fieldQuery) mayRead(f *funcindex.Func, x *types.Var, cx readContext) bool {
	if cx.depth > maxFieldDepth {
		return true
	}
	key := visitKey{f.Body, x, cx.strict}
	if q.visiting[key] {
		return false // being walked: a read there is found there
	}
	q.visiting[key] = true
	defer delete(q.visiting, key)
	carriers := q.carriers(f.Body, x)
	return q.occurrences(f, carriers, cx, func(id *ast.Ident, path []ast.Node, strict bool, g guard) bool {
		return q.use(f, id, path, carriers, readContext{strict: strict, consts: cx.consts, guard: g, depth: cx.depth})
	})
}

// occurrences calls visit, until it returns true, for each mention of the
// variables vars in f's code that may run while its subtests are parallel,
// with the path to it (from f's body) and whether it runs in parallel.
func (q *fieldQuery) occurrences(f *funcindex.Func, vars map[*types.Var]bool, cx readContext, visit func(id *ast.Ident, path []ast.Node, strict bool, g guard) bool) bool {
	info := q.c.pass.TypesInfo
	consts := q.stableConsts(f, cx.consts)
	found := false
	var path []ast.Node
	var inspect func(n ast.Node) bool
	inspect = func(n ast.Node) bool {
		if n == nil {
			path = path[:len(path)-1]
			return true
		}
		if found {
			return false
		}
		path = append(path, n)
		if ifs, ok := n.(*ast.IfStmt); ok {
			if holds, known := evalCond(info, ifs.Cond, consts); known {
				live := ast.Node(ifs.Body)
				if !holds {
					live = ifs.Else
				}
				for _, part := range []ast.Node{ifs.Init, ifs.Cond, live} {
					if part != nil && !isNilStmt(part) {
						ast.Inspect(part, inspect)
					}
				}
				path = path[:len(path)-1]
				return false
			}
		}
		id, ok := n.(*ast.Ident)
		if !ok || !vars[varOf(info, id)] {
			return true
		}
		g := cx.guard.union(q.c.guards.of(id, f.Body))
		if g.excludes(q.parallel) {
			return true // never in a test run where the subtests are parallel
		}
		strict := cx.strict || cx.from.IsValid() && id.Pos() >= cx.from || q.inParallelCode(path, id)
		if visit(id, path, strict, g) {
			found = true
		}
		return true
	}
	ast.Inspect(f.Body, inspect)
	return found
}

// isNilStmt reports whether n is a nil statement in an interface.
func isNilStmt(n ast.Node) bool {
	switch s := n.(type) {
	case ast.Stmt:
		return s == nil
	}
	return false
}

func varOf(info *types.Info, id *ast.Ident) *types.Var {
	v, _ := info.Uses[id].(*types.Var)
	return v
}

// inParallelCode reports whether id, at the end of path, is in a function
// literal that may run after its test's function returned: a subtest's
// body after it becomes parallel, or any literal but a subtest's body (a
// goroutine's, a callback's): only a subtest that never becomes parallel
// surely ends before t.Run returns.
func (q *fieldQuery) inParallelCode(path []ast.Node, id *ast.Ident) bool {
	info, fam := q.c.pass.TypesInfo, q.c.fam
	for i, n := range path {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			continue
		}
		call, ok := parentCall(path, i)
		if !ok {
			return true
		}
		if _, _, body, ok := testmodel.RunCall(info, call); !ok || ast.Unparen(body) != lit {
			return true
		}
		ref := funcindex.Ref{Lit: lit}
		if !fam.of(ref).Parallel.Has(0) {
			continue
		}
		if pn := fam.parallelNode(ref, 0); pn == nil || id.Pos() >= pn.Pos() {
			return true
		}
	}
	return false
}

// parentCall returns the call that path[i] is an argument of.
func parentCall(path []ast.Node, i int) (*ast.CallExpr, bool) {
	if i == 0 {
		return nil, false
	}
	call, ok := path[i-1].(*ast.CallExpr)
	return call, ok && slices.Contains(call.Args, ast.Expr(path[i].(*ast.FuncLit)))
}

// use reports whether the mention id of a variable holding the struct (at
// the end of path, in f) may read one of the fields.
func (q *fieldQuery) use(f *funcindex.Func, id *ast.Ident, path []ast.Node, carriers map[*types.Var]bool, cx readContext) bool {
	info, idx := q.c.pass.TypesInfo, q.c.fam.index
	parent := path[len(path)-2]
	var grand ast.Node
	if len(path) >= 3 {
		grand = path[len(path)-3]
	}
	switch p := parent.(type) {
	case *ast.SelectorExpr:
		sel := info.Selections[p]
		if p.X != id || sel == nil {
			return true
		}
		switch sel.Kind() {
		case types.FieldVal:
			field, _ := sel.Obj().(*types.Var)
			if len(sel.Index()) != 1 {
				return true // promoted through an embedded field
			}
			if !slices.Contains(q.fields, field) {
				return false
			}
			return cx.strict || !q.kept(path[:len(path)-1], carriers)
		case types.MethodVal:
			m := q.c.fam.funcOf(funcindex.Ref{Func: sel.Obj().(*types.Func)})
			call, ok := grand.(*ast.CallExpr)
			if m == nil || !ok || len(m.Params) == 0 {
				return true
			}
			if ast.Unparen(call.Fun) == p { // x.M(...)
				strict := cx.strict || resultUsed(path[:len(path)-2]) || idx.GoOf(call) != nil
				operands := append([]ast.Expr{p.X}, call.Args...)
				return q.mayRead(m, m.Params[0], readContext{strict: strict, consts: q.constArgs(m, operands), guard: cx.guard, depth: cx.depth + 1})
			}
			// x.M handed to a helper that calls it.
			return q.methodValue(call, p, m, path[:len(path)-2], cx)
		}
		return true
	case *ast.StarExpr: // y := *x
		return !copiesInto(info, grand, p, carriers)
	case *ast.AssignStmt:
		if slices.Contains(p.Lhs, ast.Expr(id)) {
			return false // x now holds something else
		}
		return !copiesInto(info, p, id, carriers)
	case *ast.ValueSpec:
		return !copiesInto(info, p, id, carriers)
	case *ast.BinaryExpr: // x != nil
		return !(p.Op == token.EQL || p.Op == token.NEQ)
	case *ast.CallExpr:
		if ast.Unparen(p.Fun) == id {
			return true
		}
		ref, operands, ok := idx.Callee(p)
		callee := q.c.fam.funcOf(ref)
		if !ok || callee == nil {
			return true
		}
		i := slices.IndexFunc(operands, func(op ast.Expr) bool { return ast.Unparen(op) == id })
		if i < 0 || i >= len(callee.Params) || idx.Variadic(ref) && i >= len(callee.Params)-1 {
			return true
		}
		strict := cx.strict || resultUsed(path[:len(path)-1]) || idx.GoOf(p) != nil
		return q.mayRead(callee, callee.Params[i], readContext{strict: strict, consts: q.constArgs(callee, operands), guard: cx.guard, depth: cx.depth + 1})
	}
	return true
}

// methodValue reports whether the helper that call calls may read the
// fields when it calls the method value sel (of method m) it is given:
// it may only call it, and each call is followed into m.
func (q *fieldQuery) methodValue(call *ast.CallExpr, sel *ast.SelectorExpr, m *funcindex.Func, path []ast.Node, cx readContext) bool {
	idx := q.c.fam.index
	ref, operands, ok := idx.Callee(call)
	helper := q.c.fam.funcOf(ref)
	if !ok || helper == nil || resultUsed(path) {
		return true
	}
	i := slices.IndexFunc(operands, func(op ast.Expr) bool { return ast.Unparen(op) == sel })
	if i < 0 || i >= len(helper.Params) || idx.Variadic(ref) && i >= len(helper.Params)-1 {
		return true
	}
	fn := helper.Params[i]
	hx := readContext{strict: cx.strict || idx.GoOf(call) != nil, consts: q.constArgs(helper, operands), guard: cx.guard, depth: cx.depth + 1}
	if hx.depth > maxFieldDepth {
		return true
	}
	return q.occurrences(helper, map[*types.Var]bool{fn: true}, hx, func(id *ast.Ident, path []ast.Node, strict bool, g guard) bool {
		c, ok := path[len(path)-2].(*ast.CallExpr)
		if !ok || ast.Unparen(c.Fun) != id {
			return true // handed on, or kept
		}
		strict = strict || resultUsed(path[:len(path)-2]) || idx.GoOf(c) != nil
		operands := append([]ast.Expr{sel.X}, c.Args...)
		return q.mayRead(m, m.Params[0], readContext{strict: strict, consts: q.constArgs(m, operands), guard: g, depth: hx.depth + 1})
	})
}

// kept reports whether the read of a field at the end of path leaves
// nothing behind that may be read later: an assignment's left side, the
// argument of len or cap, or the right side of an assignment (through
// append, indexing and slicing) to the same fields of the struct or a
// copy of it.
func (q *fieldQuery) kept(path []ast.Node, carriers map[*types.Var]bool) bool {
	info := q.c.pass.TypesInfo
	sel := path[len(path)-1]
	for i := len(path) - 2; i >= 0; i-- {
		switch n := path[i].(type) {
		case *ast.AssignStmt:
			if i == len(path)-2 && slices.Contains(n.Lhs, sel.(ast.Expr)) {
				return true
			}
			for _, lhs := range n.Lhs {
				s, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
				if !ok || !carriers[testmodel.VarOf(info, s.X)] || !slices.Contains(q.fields, fieldOf(info, s)) {
					return false
				}
			}
			return true
		case *ast.CallExpr:
			switch builtinName(info, n.Fun) {
			case "len", "cap":
				return true // a count
			case "append":
			default:
				return false
			}
		case *ast.ParenExpr, *ast.IndexExpr, *ast.SliceExpr:
		default:
			return false
		}
	}
	return false
}

// builtinName returns the name of the built-in function fun names; "" if
// none.
func builtinName(info *types.Info, fun ast.Expr) string {
	if id, ok := ast.Unparen(fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			return b.Name()
		}
	}
	return ""
}

// fieldOf returns the field that s selects directly; nil if it selects no
// field of its operand's own struct.
func fieldOf(info *types.Info, s *ast.SelectorExpr) *types.Var {
	sel := info.Selections[s]
	if sel == nil || sel.Kind() != types.FieldVal || len(sel.Index()) != 1 {
		return nil
	}
	v, _ := sel.Obj().(*types.Var)
	return v
}

// resultUsed reports whether the value of the call at the end of path is
// used: it is not a statement of its own.
func resultUsed(path []ast.Node) bool {
	if len(path) < 2 {
		return true
	}
	switch path[len(path)-2].(type) {
	case *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt:
		return false
	}
	return true
}

// copiesInto reports whether n assigns the value e (x or *x) alone to a
// variable among carriers.
func copiesInto(info *types.Info, n ast.Node, e ast.Expr, carriers map[*types.Var]bool) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == 1 && len(n.Rhs) == 1 && ast.Unparen(n.Rhs[0]) == e {
			id, ok := ast.Unparen(n.Lhs[0]).(*ast.Ident)
			return ok && carriers[definedOrUsed(info, id)]
		}
	case *ast.ValueSpec:
		for i, value := range n.Values {
			if ast.Unparen(value) == e && len(n.Names) == len(n.Values) {
				return carriers[definedOrUsed(info, n.Names[i])]
			}
		}
	}
	return false
}

func definedOrUsed(info *types.Info, id *ast.Ident) *types.Var {
	v, _ := info.ObjectOf(id).(*types.Var)
	return v
}

// carriers returns x and the variables of body that copy it whole (y :=
// x, y := *x), at any remove.
func (q *fieldQuery) carriers(body *ast.BlockStmt, x *types.Var) map[*types.Var]bool {
	info := q.c.pass.TypesInfo
	carriers := map[*types.Var]bool{x: true}
	copyOf := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if star, ok := e.(*ast.StarExpr); ok {
			e = ast.Unparen(star.X)
		}
		id, ok := e.(*ast.Ident)
		return ok && carriers[varOf(info, id)]
	}
	add := func(id *ast.Ident, value ast.Expr) bool {
		v := definedOrUsed(info, id)
		if v == nil || carriers[v] || v.Pos() < body.Pos() || v.Pos() >= body.End() || !copyOf(value) {
			return false
		}
		carriers[v] = true
		return true
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
					if id, ok := ast.Unparen(n.Lhs[0]).(*ast.Ident); ok && add(id, n.Rhs[0]) {
						changed = true
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, name := range n.Names {
						if add(name, n.Values[i]) {
							changed = true
						}
					}
				}
			}
			return true
		})
	}
	return carriers
}

// constArgs returns f's parameters that the operands of a call bind to
// constant booleans, with their values.
func (q *fieldQuery) constArgs(f *funcindex.Func, operands []ast.Expr) map[*types.Var]bool {
	info := q.c.pass.TypesInfo
	var consts map[*types.Var]bool
	for i, op := range operands {
		if i >= len(f.Params) {
			break
		}
		if tv, ok := info.Types[op]; ok && tv.Value != nil && tv.Value.Kind() == constant.Bool {
			if consts == nil {
				consts = make(map[*types.Var]bool)
			}
			consts[f.Params[i]] = constant.BoolVal(tv.Value)
		}
	}
	return consts
}

// stableConsts returns the constants among consts whose parameters f
// never assigns nor takes the address of: they hold their value
// throughout.
func (q *fieldQuery) stableConsts(f *funcindex.Func, consts map[*types.Var]bool) map[*types.Var]bool {
	if len(consts) == 0 {
		return nil
	}
	info := q.c.pass.TypesInfo
	changed := make(map[*types.Var]bool)
	mark := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			changed[varOf(info, id)] = true
		}
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				mark(lhs)
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		case *ast.RangeStmt:
			mark(n.Key)
			mark(n.Value)
		}
		return true
	})
	stable := make(map[*types.Var]bool, len(consts))
	for v, b := range consts {
		if !changed[v] {
			stable[v] = b
		}
	}
	return stable
}

// evalCond returns the value of cond when the constants decide it.
func evalCond(info *types.Info, cond ast.Expr, consts map[*types.Var]bool) (holds, known bool) {
	if len(consts) == 0 {
		return false, false
	}
	switch e := ast.Unparen(cond).(type) {
	case *ast.Ident:
		b, ok := consts[varOf(info, e)]
		return b, ok
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			b, ok := evalCond(info, e.X, consts)
			return !b, ok
		}
	case *ast.BinaryExpr:
		x, xok := evalCond(info, e.X, consts)
		y, yok := evalCond(info, e.Y, consts)
		switch e.Op {
		case token.LAND:
			if xok && !x || yok && !y {
				return false, true
			}
			return true, xok && yok
		case token.LOR:
			if xok && x || yok && y {
				return true, true
			}
			return false, xok && yok
		}
	}
	return false, false
}
