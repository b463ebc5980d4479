package testmodel

import (
	"go/ast"
	"go/types"
)

// A Ref names the code that a call or a function value runs: a declared
// function or method, or a function literal. Bound holds the operands the
// reference fixes before any argument: the receiver of a method value.
//
// Operands are numbered as in Params: for a method, the receiver is operand 0
// and the parameters follow; for a function or literal, the parameters start
// at 0. A method expression T.M takes its receiver as its first argument and
// so numbers the same way.
type Ref struct {
	Func  *types.Func // a declared function or method (its generic origin), or nil
	Lit   *ast.FuncLit
	Bound []ast.Expr
}

// Valid reports whether r names any code.
func (r Ref) Valid() bool { return r.Func != nil || r.Lit != nil }

// Funcs indexes a package's functions for resolving calls: the declaration of
// each function, and the function values that local variables are assigned.
type Funcs struct {
	info     *types.Info
	decls    map[*types.Func]*ast.FuncDecl
	bindings map[*types.Var][]ast.Expr
	assigned map[*types.Var]int   // how many times each variable is assigned, its declaration included
	params   map[any][]*types.Var // of the package's functions (by *types.Func) and literals
	defs     map[*types.Var]ast.Expr
}

// NewFuncs returns an empty index of a package's functions; Add fills it,
// from the one walk over the package that the summary pass makes.
func NewFuncs(info *types.Info) *Funcs {
	return &Funcs{
		info:     info,
		decls:    make(map[*types.Func]*ast.FuncDecl),
		bindings: make(map[*types.Var][]ast.Expr),
		assigned: make(map[*types.Var]int),
		params:   make(map[any][]*types.Var),
		defs:     make(map[*types.Var]ast.Expr),
	}
}

// Add indexes n, if it is a function declaration or literal, an
// assignment or a variable declaration. Once every node is added, Funcs
// is only read.
func (x *Funcs) Add(n ast.Node) {
	info := x.info
	switch n := n.(type) {
	case *ast.FuncDecl:
		if fn, ok := info.Defs[n.Name].(*types.Func); ok {
			x.decls[fn] = n
			x.params[fn] = signatureParams(fn.Signature())
		}
	case *ast.FuncLit:
		if sig, ok := info.TypeOf(n).(*types.Signature); ok {
			x.params[n] = signatureParams(sig)
		}
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i, lhs := range n.Lhs {
				x.bind(lhs, n.Rhs[i])
			}
		} else {
			for _, lhs := range n.Lhs {
				x.bind(lhs, nil)
			}
		}
	case *ast.ValueSpec:
		for i, name := range n.Names {
			var rhs ast.Expr
			if len(n.Values) == len(n.Names) {
				rhs = n.Values[i]
			}
			x.bind(name, rhs)
		}
	}
}

// bind records that lhs, if a variable, is assigned rhs (nil: a value that
// is not a single expression).
func (x *Funcs) bind(lhs, rhs ast.Expr) {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return
	}
	v, _ := x.info.Defs[id].(*types.Var)
	if v == nil {
		v, _ = x.info.Uses[id].(*types.Var)
	}
	if v == nil || !tracked(v.Type()) {
		return
	}
	x.assigned[v]++
	if rhs == nil {
		return
	}
	if typ := x.info.TypeOf(rhs); typ != nil {
		if _, isFunc := typ.Underlying().(*types.Signature); isFunc {
			x.bindings[v] = append(x.bindings[v], rhs)
		}
	}
	if x.assigned[v] == 1 {
		x.defs[v] = rhs
	} else {
		delete(x.defs, v)
	}
}

// tracked reports whether variables of type t are indexed: those that can
// hold a function, a testing value or a handler. Errors, numbers, strings,
// slices and maps, the bulk of a test's variables, cannot.
func tracked(t types.Type) bool {
	if types.Identical(t, errorType) {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Signature, *types.Pointer, *types.Interface, *types.Struct:
		return true
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// Def returns the one value v is ever assigned, if it is assigned once.
func (x *Funcs) Def(v *types.Var) ast.Expr { return x.defs[v] }

// Decl returns the declaration of fn in this package, or nil.
func (x *Funcs) Decl(fn *types.Func) *ast.FuncDecl {
	if fn == nil {
		return nil
	}
	return x.decls[fn.Origin()]
}

// Bindings returns the function values assigned to v in this package.
func (x *Funcs) Bindings(v *types.Var) []ast.Expr { return x.bindings[v] }

// AssignedOnce reports whether v is assigned only where it is declared (or,
// for a parameter, never). Such a variable holds one value for its lifetime.
// It is meaningful for the variables Funcs tracks: functions, pointers,
// interfaces, structs.
func (x *Funcs) AssignedOnce(v *types.Var) bool { return x.assigned[v] <= 1 }

// Resolve returns the code that the function value expr runs when called.
func (x *Funcs) Resolve(expr ast.Expr) (Ref, bool) {
	return x.resolve(expr, 0)
}

func (x *Funcs) resolve(expr ast.Expr, depth int) (Ref, bool) {
	if depth > 8 {
		return Ref{}, false
	}
	switch e := ast.Unparen(expr).(type) {
	case *ast.FuncLit:
		return Ref{Lit: e}, true
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
			if b := x.bindings[obj]; len(b) == 1 && x.AssignedOnce(obj) {
				return x.resolve(b[0], depth+1)
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
func (x *Funcs) Callee(call *ast.CallExpr) (Ref, []ast.Expr, bool) {
	if tv, ok := x.info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return Ref{}, nil, false
	}
	ref, ok := x.resolve(call.Fun, 0)
	if !ok {
		return Ref{}, nil, false
	}
	if len(ref.Bound) == 0 {
		return ref, call.Args, true
	}
	operands := append(append([]ast.Expr(nil), ref.Bound...), call.Args...)
	return ref, operands, true
}

// Params returns the variables that r's operands bind to: the receiver, if
// any, then the parameters. It is nil when r is not known. Those of the
// package's own functions were listed by NewFuncs; Params only reads, so
// that analyzers running concurrently may share a Funcs.
func (x *Funcs) Params(r Ref) []*types.Var {
	switch {
	case r.Lit != nil:
		return x.params[r.Lit]
	case r.Func != nil:
		if params, ok := x.params[r.Func]; ok {
			return params
		}
		return signatureParams(r.Func.Signature())
	}
	return nil
}

// signatureParams lists the receiver, if any, then the parameters of sig.
func signatureParams(sig *types.Signature) []*types.Var {
	var params []*types.Var
	if sig.Recv() != nil {
		params = append(params, sig.Recv())
	}
	for p := range sig.Params().Variables() {
		params = append(params, p)
	}
	return params
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

// Body returns the body of r, when its code is in this package.
func (x *Funcs) Body(r Ref) *ast.BlockStmt {
	if r.Lit != nil {
		return r.Lit.Body
	}
	if d := x.Decl(r.Func); d != nil {
		return d.Body
	}
	return nil
}

// Variadic reports whether r's last parameter is variadic.
func (x *Funcs) Variadic(r Ref) bool {
	switch {
	case r.Lit != nil:
		sig, _ := x.info.TypeOf(r.Lit).(*types.Signature)
		return sig != nil && sig.Variadic()
	case r.Func != nil:
		return r.Func.Signature().Variadic()
	}
	return false
}
