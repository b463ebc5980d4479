package funcindex

import (
	"go/ast"
	"go/types"
	"slices"
)

// A Ref names the code that a call or a function value runs: a declared
// function or method, or a function literal. Bound holds the operands the
// reference fixes before any argument: the receiver of a method value.
//
// Operands are numbered as in Params, the one numbering every analyzer
// uses: for a method, the receiver is operand 0 and the parameters follow;
// for a function or literal, the parameters start at 0. A method
// expression T.M takes its receiver as its first argument and so numbers
// the same way.
type Ref struct {
	Func  *types.Func // a declared function or method (its generic origin), or nil
	Lit   *ast.FuncLit
	Bound []ast.Expr
}

// Valid reports whether r names any code.
func (r Ref) Valid() bool { return r.Func != nil || r.Lit != nil }

// Resolve returns the code that the function value expr runs when called.
func (x *Index) Resolve(expr ast.Expr) (Ref, bool) {
	return x.resolve(expr, 0)
}

func (x *Index) resolve(expr ast.Expr, depth int) (Ref, bool) {
	if depth > 8 {
		return Ref{}, false
	}
	switch e := ast.Unparen(expr).(type) {
	case *ast.FuncLit:
		return Ref{Lit: e}, true
	case *ast.CallExpr:
		// http.HandlerFunc(f): a conversion runs what it converts.
		if tv, ok := x.info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return x.resolve(e.Args[0], depth+1)
		}
	case *ast.IndexExpr: // explicit instantiation f[int]
		return x.resolve(e.X, depth+1)
	case *ast.IndexListExpr:
		return x.resolve(e.X, depth+1)
	case *ast.Ident:
		switch obj := x.info.Uses[e].(type) {
		case *types.Func:
			return Ref{Func: obj.Origin()}, true
		case *types.Var:
			// A variable holding one function value for its whole life
			// runs that value.
			if def := x.Def(obj); def != nil && IsFunc(x.info.TypeOf(def)) {
				return x.resolve(def, depth+1)
			}
			if def := x.reaching(e, obj); def != nil {
				return x.resolve(def, depth+1)
			}
		}
	case *ast.SelectorExpr:
		if sel := x.info.Selections[e]; sel != nil {
			fn, ok := sel.Obj().(*types.Func)
			if !ok {
				return Ref{}, false
			}
			switch sel.Kind() {
			case types.MethodVal:
				return Ref{Func: fn.Origin(), Bound: []ast.Expr{e.X}}, true
			case types.MethodExpr:
				return Ref{Func: fn.Origin()}, true
			}
			return Ref{}, false
		}
		if fn, ok := x.info.Uses[e.Sel].(*types.Func); ok { // pkg.F
			return Ref{Func: fn.Origin()}, true
		}
	}
	return Ref{}, false
}

// Callee returns the code that call runs and its operands: the bound ones,
// then the arguments. It fails for conversions and built-ins.
func (x *Index) Callee(call *ast.CallExpr) (Ref, []ast.Expr, bool) {
	// A method call, the most common, is resolved here with the one
	// slice its operands need: the receiver bound, then the arguments.
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := x.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			fn, ok := s.Obj().(*types.Func)
			if !ok {
				return Ref{}, nil, false
			}
			operands := make([]ast.Expr, 1+len(call.Args))
			operands[0] = sel.X
			copy(operands[1:], call.Args)
			return Ref{Func: fn.Origin(), Bound: operands[:1:1]}, operands, true
		}
	}
	if x.conversionOrBuiltin(call) {
		return Ref{}, nil, false
	}
	ref, ok := x.resolve(call.Fun, 0)
	if !ok {
		return Ref{}, nil, false
	}
	return ref, ref.Operands(call.Args), true
}

// conversionOrBuiltin reports whether call converts a value or calls a
// built-in. A name is looked up among the uses, a map much smaller than
// that of every expression's type, which only other forms need.
func (x *Index) conversionOrBuiltin(call *ast.CallExpr) bool {
	var name *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = fun
	case *ast.SelectorExpr:
		if x.info.Selections[fun] != nil {
			return false // a field's or a method's value
		}
		name = fun.Sel // pkg.Name
	default:
		tv, ok := x.info.Types[call.Fun]
		return ok && (tv.IsType() || tv.IsBuiltin())
	}
	switch x.info.Uses[name].(type) {
	case *types.TypeName, *types.Builtin:
		return true
	}
	return false
}

// Operands returns the operands of a call of r with args: the bound ones,
// then args.
func (r Ref) Operands(args []ast.Expr) []ast.Expr {
	if len(r.Bound) == 0 {
		return args
	}
	return append(append(make([]ast.Expr, 0, len(r.Bound)+len(args)), r.Bound...), args...)
}

// Params returns the variables that r's operands bind to: the receiver, if
// any, then the parameters. It is nil when r is not known.
func (x *Index) Params(r Ref) []*types.Var {
	switch {
	case r.Lit != nil:
		if f := x.byNode[r.Lit]; f != nil {
			return f.Params
		}
		if sig, ok := x.info.TypeOf(r.Lit).(*types.Signature); ok {
			return signatureParams(sig)
		}
	case r.Func != nil:
		if f := x.FuncOf(r.Func); f != nil {
			return f.Params
		}
		return signatureParams(r.Func.Signature())
	}
	return nil
}

// ParamIndex returns the index of the parameter that operand i binds to, for
// a function with n operands (receiver included), variadic or not; -1 if none.
func ParamIndex(i, n int, variadic bool) int {
	if i < n {
		return i
	}
	if variadic && n > 0 {
		return n - 1
	}
	return -1
}

// OperandParam returns the index of the parameter that operand j of a
// call of r binds to, and the type the operand is given as: the element
// type of a variadic list for each of its operands, unless the call
// passes the list itself (f(fns...)). ok is false when there is none.
func (x *Index) OperandParam(r Ref, j int, ellipsis bool) (i int, t types.Type, ok bool) {
	params := x.Params(r)
	variadic := x.Variadic(r)
	i = ParamIndex(j, len(params), variadic)
	if i < 0 || i >= len(params) {
		return -1, nil, false
	}
	t = params[i].Type()
	if variadic && i == len(params)-1 && !ellipsis {
		sl, isSlice := t.(*types.Slice)
		if !isSlice {
			return -1, nil, false
		}
		t = sl.Elem()
	}
	return i, t, true
}

// Body returns the body of r, when its code is in this package.
func (x *Index) Body(r Ref) *ast.BlockStmt {
	if r.Lit != nil {
		return r.Lit.Body
	}
	if d := x.Decl(r.Func); d != nil {
		return d.Body
	}
	return nil
}

// Variadic reports whether r's last parameter is variadic.
func (x *Index) Variadic(r Ref) bool {
	switch {
	case r.Lit != nil:
		sig, _ := x.info.TypeOf(r.Lit).(*types.Signature)
		return sig != nil && sig.Variadic()
	case r.Func != nil:
		return r.Func.Signature().Variadic()
	}
	return false
}

// reaching returns the function value that reaches use, a use of v, when v
// is given several: in straight-line code, the last one assigned before
// use. That is known only when every assignment of v is a statement of one
// block, of the function use is in itself (a literal may run later), and
// no loop around that block could carry a later assignment back to use.
func (x *Index) reaching(use *ast.Ident, v *types.Var) ast.Expr {
	as := x.assigns[v]
	if len(as) < 2 || x.opaque[v] || as[0].In == nil {
		return nil
	}
	in := as[0].In
	if use.Pos() < in.Body.Pos() || use.End() > in.Body.End() {
		return nil
	}
	path := pathTo(in.Body, use)
	if path == nil {
		return nil
	}
	for _, n := range path {
		if _, ok := n.(*ast.FuncLit); ok {
			return nil // use is in a literal, which may run later
		}
	}
	// The block whose statements assign v, and its statement use is in.
	var last ast.Expr
	for i, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return nil // a loop around the assignments
		}
		block, ok := n.(*ast.BlockStmt)
		if !ok || i+1 >= len(path) {
			continue
		}
		stmt := path[i+1]
		if !assignsOnlyIn(as, in, block) {
			continue
		}
		for _, a := range as {
			if a.Stmt.Pos() < stmt.Pos() && a.Result < 0 {
				last = a.Value
			}
		}
		if last == nil || !IsFunc(x.info.TypeOf(last)) {
			return nil
		}
		return last
	}
	return nil
}

// assignsOnlyIn reports whether every assignment in as is a statement of
// block, in the function in.
func assignsOnlyIn(as []Assignment, in *Func, block *ast.BlockStmt) bool {
	for _, a := range as {
		if a.In != in || !isStmtOf(block, a.Stmt) {
			return false
		}
	}
	return true
}

// isStmtOf reports whether n, an assignment or a value spec, is one of
// block's statements.
func isStmtOf(block *ast.BlockStmt, n ast.Node) bool {
	for _, s := range block.List {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s == n {
				return true
			}
		case *ast.DeclStmt:
			if gen, ok := s.Decl.(*ast.GenDecl); ok {
				for _, spec := range gen.Specs {
					if spec == n {
						return true
					}
				}
			}
		}
	}
	return false
}

// pathTo returns the nodes from root down to target, both included; nil
// if target is not under root.
func pathTo(root ast.Node, target ast.Node) []ast.Node {
	var stack, path []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if path != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n.Pos() > target.Pos() || n.End() < target.End() {
			return false
		}
		stack = append(stack, n)
		if n == target {
			path = slices.Clone(stack)
		}
		return true
	})
	return path
}
