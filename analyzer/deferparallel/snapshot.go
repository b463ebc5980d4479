package deferparallel

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/summary"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// Snapshots and references.
//
// A value computed from a resource may refer to it (url := ts.URL, addr :=
// ln.Addr().String(), repo := NewRepo(db), path := filepath.Join(dir, "k"))
// or hold data already read out of it (page := fetch(t, ts.URL), key :=
// store.VerifyKey(), n := len(rows)). Tearing the resource down breaks the
// first and leaves the second as it was. flow tells them apart from what
// the value is and how it was produced, and stays with "refers to
// everything it uses" whenever it cannot tell.

// flow returns the variables whose resources the value of e may refer to,
// and true, when e is plain data (knowledge.PlainData) built only from
// constants, variables, data read by I/O (knowledge.ReadsData: io.ReadAll,
// os.ReadFile; or a function of the package that returns such data),
// len and cap, conversions, operators, indexing and slicing, composite
// literals, and pure functions of those (knowledge.KeepsData:
// filepath.Join, fmt.Sprintf, strings.TrimPrefix). Data read by I/O refers
// to nothing; a pure function refers to what its arguments refer to.
// Anything else, field reads (ts.URL) and calls not known to read or to be
// pure (ln.Addr().String(), NewRepo(db)) among them, is not understood:
// false, and the value refers to every variable it uses.
func (r *resources) flow(e ast.Expr) ([]*types.Var, bool) { return r.flowAt(e, -1) }

// flowAt is flow for result index of the multi-valued call e; -1 for a
// single value.
func (r *resources) flowAt(e ast.Expr, index int) ([]*types.Var, bool) {
	info := r.info
	if tv, ok := info.Types[e]; ok && index < 0 && (tv.Value != nil || tv.IsNil()) {
		return nil, true
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return r.flowAt(e.X, index)
	case *ast.Ident:
		v, _ := info.Uses[e].(*types.Var)
		if v == nil || v.IsField() || testmodel.IsPackageLevel(v) {
			return nil, false
		}
		return []*types.Var{v}, true
	case *ast.CallExpr:
		return r.flowCall(e, index)
	case *ast.BinaryExpr:
		return r.flowAll(e.X, e.Y)
	case *ast.UnaryExpr:
		if e.Op == token.ARROW { // received from a channel: anything
			return nil, false
		}
		return r.flowAll(e.X)
	case *ast.IndexExpr:
		return r.flowAll(e.X, e.Index)
	case *ast.SliceExpr:
		return r.flowAll(e.X, e.Low, e.High, e.Max)
	case *ast.CompositeLit:
		_, isStruct := types.Unalias(info.TypeOf(e)).Underlying().(*types.Struct)
		var parts []ast.Expr
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if !isStruct { // a map's or an array's key; a struct's is a field name
					parts = append(parts, kv.Key)
				}
				elt = kv.Value
			}
			parts = append(parts, elt)
		}
		return r.flowAll(parts...)
	}
	return nil, false
}

// flowAll is flow of a value computed from exprs (nil ones are skipped).
func (r *resources) flowAll(exprs ...ast.Expr) ([]*types.Var, bool) {
	var out []*types.Var
	for _, e := range exprs {
		if e == nil {
			continue
		}
		vars, ok := r.flowAt(e, -1)
		if !ok {
			return nil, false
		}
		for _, v := range vars {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out, true
}

// flowCall is flowAt for a call.
func (r *resources) flowCall(call *ast.CallExpr, index int) ([]*types.Var, bool) {
	info := r.info
	tv := info.Types[call.Fun]
	switch {
	case tv.IsType():
		if len(call.Args) != 1 || !knowledge.PlainData(info.TypeOf(call)) {
			return nil, false
		}
		return r.flowAt(call.Args[0], -1)
	case tv.IsBuiltin():
		id, _ := ast.Unparen(call.Fun).(*ast.Ident)
		if id == nil {
			return nil, false
		}
		switch id.Name {
		case "len", "cap": // a count
			return nil, true
		case "append", "min", "max", "complex", "real", "imag":
			if knowledge.PlainData(info.TypeOf(call)) {
				return r.flowAll(call.Args...)
			}
		}
		return nil, false
	}
	if !knowledge.PlainData(resultType(info, call, index)) {
		return nil, false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	switch {
	case knowledge.ReadsData(fn):
		return nil, true
	case knowledge.KeepsData(fn):
		operands := call.Args
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
			operands = append([]ast.Expr{sel.X}, operands...)
		}
		if len(call.Args) == 1 { // f(g()), g multi-valued
			if _, ok := info.TypeOf(call.Args[0]).(*types.Tuple); ok {
				return nil, false
			}
		}
		return r.flowAll(operands...)
	}
	return r.flowLocal(call, index)
}

// resultType returns the type of result index of call (-1: its only one).
func resultType(info *types.Info, call *ast.CallExpr, index int) types.Type {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if index < 0 || index >= tuple.Len() {
			return tuple
		}
		return tuple.At(index).Type()
	}
	return t
}

// flowLocal is flowCall for a call of a function of the package: its
// result refers to what the arguments bound to the operands that its
// returned values flow from refer to.
func (r *resources) flowLocal(call *ast.CallExpr, index int) ([]*types.Var, bool) {
	funcs := r.fam.index
	ref, operands, ok := funcs.Callee(call)
	if !ok {
		return nil, false
	}
	carried, ok := r.snaps.judge(ref, index)
	if !ok {
		return nil, false
	}
	params := funcs.Params(ref)
	variadic := funcs.Variadic(ref)
	var exprs []ast.Expr
	if len(call.Args) == 1 {
		if tuple, ok := r.info.TypeOf(call.Args[0]).(*types.Tuple); ok { // f(g()), g multi-valued
			if tuple.Len() > 1 {
				inner, _ := ast.Unparen(call.Args[0]).(*ast.CallExpr)
				var out []*types.Var
				for i := range params {
					if !carried.Has(i) {
						continue
					}
					var vars []*types.Var
					var ok bool
					if i < len(ref.Bound) {
						vars, ok = r.flowAt(ref.Bound[i], -1)
					} else if inner != nil {
						vars, ok = r.flowAt(inner, i-len(ref.Bound))
					}
					if !ok {
						return nil, false
					}
					out = append(out, vars...)
				}
				return out, true
			}
		}
	}
	for i, op := range operands {
		if carried.Has(funcindex.ParamIndex(i, len(params), variadic)) {
			exprs = append(exprs, op)
		}
	}
	return r.flowAll(exprs...)
}

// snapshots judges the functions of the package that a model's calls
// call, for one model and the models of the callees it looks into. A
// judgement of a recursive function depends on where the judging started,
// so each model has its own.
type snapshots struct {
	fam    *parallelism
	judged map[judgeKey]judgement
}

type judgeKey struct {
	node  ast.Node // the callee's *ast.FuncDecl or *ast.FuncLit
	index int
}

type judgement struct {
	ok      bool
	carried summary.Bits
}

func newSnapshots(fam *parallelism) *snapshots {
	return &snapshots{fam: fam, judged: make(map[judgeKey]judgement)}
}

// judge reports whether result index (-1: the only one) of the function
// ref is plain data whose values flow (see flow) only from the operands
// in the returned Bits and from data read by I/O: for fetch(t, url) that
// returns the body it read, none; for trim(s) that returns
// strings.TrimSpace(s), s. A function that is being judged, recursively,
// is not understood.
func (s *snapshots) judge(ref funcindex.Ref, index int) (summary.Bits, bool) {
	var node ast.Node
	var typ *ast.FuncType
	switch {
	case ref.Lit != nil:
		node, typ = ref.Lit, ref.Lit.Type
	default:
		d := s.fam.index.Decl(ref.Func)
		if d == nil || d.Body == nil {
			return 0, false
		}
		node, typ = d, d.Type
	}
	key := judgeKey{node, index}
	if j, ok := s.judged[key]; ok {
		return j.carried, j.ok
	}
	s.judged[key] = judgement{} // while judging: not understood
	m := newResourcesIn(s, node)
	j := m.judgeResults(typ, s.fam.index.Params(ref), index)
	s.judged[key] = j
	return j.carried, j.ok
}

// judgeResults judges result index of the function m is the model of,
// whose operands are params.
func (m *resources) judgeResults(typ *ast.FuncType, params []*types.Var, index int) judgement {
	info := m.info
	i := max(index, 0)
	var named *types.Var // the result variable, if results are named
	if typ.Results != nil {
		n := 0
		for _, field := range typ.Results.List {
			for _, name := range field.Names {
				if n == i {
					named, _ = info.Defs[name].(*types.Var)
				}
				n++
			}
		}
	}
	var body *ast.BlockStmt
	switch n := m.node.(type) {
	case *ast.FuncDecl:
		body = n.Body
	case *ast.FuncLit:
		body = n.Body
	}
	j := judgement{ok: true}
	returns := 0
	visiting := make(map[*types.Var]bool)
	carry := func(vars []*types.Var, ok bool) {
		if !ok {
			j.ok = false
			return
		}
		for _, v := range vars {
			b, ok := m.carries(v, params, visiting)
			if !ok {
				j.ok = false
				return
			}
			j.carried |= b
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if !j.ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			switch {
			case len(n.Results) == 0 && named != nil:
				carry([]*types.Var{named}, true)
			case len(n.Results) == 1 && index >= 0: // return g(), g multi-valued
				carry(m.flowAt(n.Results[0], index))
			case i < len(n.Results):
				carry(m.flowAt(n.Results[i], -1))
			default:
				j.ok = false
			}
		}
		return true
	})
	if returns == 0 {
		return judgement{}
	}
	if !j.ok {
		return judgement{}
	}
	return j
}

// carries reports which of params the value of v flows from, and whether
// that is known: v is one of them, or a plain-data variable of the
// function every value of which flows from them and from data read.
func (m *resources) carries(v *types.Var, params []*types.Var, visiting map[*types.Var]bool) (summary.Bits, bool) {
	if i := slices.Index(params, v); i >= 0 {
		return bit(i), true
	}
	if v.Pos() < m.node.Pos() || v.Pos() >= m.node.End() || !knowledge.PlainData(v.Type()) {
		return 0, false
	}
	as := m.assigns[v]
	if len(as) == 0 { // filled through a pointer, perhaps
		return 0, false
	}
	if visiting[v] {
		return 0, true
	}
	visiting[v] = true
	defer delete(visiting, v)
	var b summary.Bits
	for _, a := range as {
		vars, ok := m.flowAt(a.rhs, a.index)
		if !ok {
			return 0, false
		}
		for _, w := range vars {
			wb, ok := m.carries(w, params, visiting)
			if !ok {
				return 0, false
			}
			b |= wb
		}
	}
	return b, true
}
