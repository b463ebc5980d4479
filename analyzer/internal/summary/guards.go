package summary

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A Guard is an early return that comes before every goroutine a
// function starts with the code it is given: if n == 0 { return } and
// if n == 1 { f(0); return } before go f(i) for i in n. A call whose
// operand Operand is a constant c with c Op Value true starts none.
type Guard struct {
	Operand int
	Op      token.Token // token.EQL, token.LSS or token.LEQ
	Value   int64
}

// holds reports whether g holds for the constant operand op.
func (g Guard) holds(info *types.Info, op ast.Expr) bool {
	if g.Op == token.ILLEGAL {
		return false
	}
	tv, ok := info.Types[op]
	if !ok || tv.Value == nil {
		return false
	}
	v := tv.Value
	if v.Kind() == constant.Bool {
		v = constant.MakeInt64(0)
		if constant.BoolVal(tv.Value) {
			v = constant.MakeInt64(1)
		}
	}
	if v.Kind() != constant.Int {
		return false
	}
	return constant.Compare(v, g.Op, constant.MakeInt64(g.Value))
}

// AsyncAt returns the operands that the call at site runs on other
// goroutines: its callee's Async, unless the call's constant operands
// take an early return of the callee before any goroutine starts.
func (r *Result) AsyncAt(site Site) Bits {
	e := r.Effect(site.Ref)
	for _, g := range e.Unless {
		if g.Operand < len(site.Operands) && g.holds(r.info, site.Operands[g.Operand]) {
			return 0
		}
	}
	return e.Async
}

// AsyncOperands yields each operand that the call at site runs on
// another goroutine (see AsyncAt) with the type of the parameter it is
// given for: each function of a variadic list is run, not only the first.
func (r *Result) AsyncOperands(site Site) iter.Seq2[ast.Expr, types.Type] {
	return func(yield func(ast.Expr, types.Type) bool) {
		async := r.AsyncAt(site)
		if async == 0 {
			return
		}
		for j, op := range site.Operands {
			i, t, ok := r.Index.OperandParam(site.Ref, j, site.Call.Ellipsis.IsValid())
			if ok && async.Has(i) && !yield(op, t) {
				return
			}
		}
	}
}

// guardsBefore returns the guards of the early returns that come before
// n, at the top level of f's body, on parameters f never assigns.
func (r *Result) guardsBefore(f *function, n ast.Node) []Guard {
	var guards []Guard
	for _, stmt := range f.Body.List {
		if stmt.End() > n.Pos() {
			break
		}
		ifs, ok := stmt.(*ast.IfStmt)
		if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 {
			continue
		}
		if _, returns := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !returns {
			continue
		}
		if g, ok := r.guardOf(f, ifs.Cond, 0); ok {
			guards = append(guards, g)
		}
	}
	return guards
}

// guardOf returns the guard that cond is: param == const, param < const,
// param <= const, or a local bool defined once as one of these
// (isLen1 := length == 1).
func (r *Result) guardOf(f *function, cond ast.Expr, depth int) (Guard, bool) {
	info := r.info
	switch e := ast.Unparen(cond).(type) {
	case *ast.Ident:
		v := testmodel.VarOf(info, e)
		if v == nil || depth > 0 {
			return Guard{}, false
		}
		if i := slices.Index(f.Params, v); i >= 0 && isBool(v.Type()) && !assignedIn(info, f.Body, v) {
			return Guard{Operand: i, Op: token.EQL, Value: 1}, true
		}
		if def := definedOnce(info, f.Body, v); def != nil {
			return r.guardOf(f, def, depth+1)
		}
	case *ast.BinaryExpr:
		if e.Op != token.EQL && e.Op != token.LSS && e.Op != token.LEQ {
			return Guard{}, false
		}
		v := testmodel.VarOf(info, e.X)
		tv, ok := info.Types[e.Y]
		if v == nil || !ok || tv.Value == nil || tv.Value.Kind() != constant.Int || assignedIn(info, f.Body, v) {
			return Guard{}, false
		}
		i := slices.Index(f.Params, v)
		c, exact := constant.Int64Val(tv.Value)
		if i < 0 || !exact {
			return Guard{}, false
		}
		return Guard{Operand: i, Op: e.Op, Value: c}, true
	}
	return Guard{}, false
}

// commonGuards returns the guards in both a and b.
func commonGuards(a, b []Guard) []Guard {
	var out []Guard
	for _, g := range a {
		if slices.Contains(b, g) {
			out = append(out, g)
		}
	}
	return out
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// assignedIn reports whether body assigns v, or takes its address.
func assignedIn(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && info.Uses[id] == v {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if id, ok := n.X.(*ast.Ident); ok && info.Uses[id] == v {
				found = true
			}
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == v {
				found = true
			}
		}
		return !found
	})
	return found
}

// definedOnce returns the value v is defined with in body (v := e), when
// body never assigns it again.
func definedOnce(info *types.Info, body *ast.BlockStmt, v *types.Var) ast.Expr {
	if assignedIn(info, body, v) {
		return nil
	}
	var def ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == len(as.Rhs) {
			for i, lhs := range as.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && info.Defs[id] == v {
					def = as.Rhs[i]
				}
			}
		}
		return def == nil
	})
	return def
}
