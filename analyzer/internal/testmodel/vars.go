package testmodel

import (
	"go/ast"
	"go/types"
)

// VarOf returns the variable that expr denotes, seeing through parentheses
// and conversions to an interface (testing.TB(t)); nil if expr is not a
// variable.
func VarOf(info *types.Info, expr ast.Expr) *types.Var {
	for {
		switch e := ast.Unparen(expr).(type) {
		case *ast.Ident:
			return identVar(info, e)
		case *ast.CallExpr:
			if !isConversion(info, e) {
				return nil
			}
			expr = e.Args[0]
		default:
			return nil
		}
	}
}

// IsPackageLevel reports whether v is a package-level variable.
func IsPackageLevel(v *types.Var) bool {
	return v != nil && !v.IsField() && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// RootVar returns the variable that expr is reached from: v for v, v.f,
// v[i], *v, pkg.v and conversions of them (testing.TB(t)); for a testing
// value also through its wrappers and accessors (require.New(t), s.T(),
// s.Require()). It is nil if there is none. VarOf, by contrast, says which
// variable expr is.
func RootVar(info *types.Info, expr ast.Expr) *types.Var {
	for range 16 {
		switch e := ast.Unparen(expr).(type) {
		case *ast.Ident:
			return identVar(info, e)
		case *ast.SelectorExpr:
			if sel := info.Selections[e]; sel != nil {
				if sel.Kind() != types.FieldVal {
					return nil
				}
				expr = e.X
				continue
			}
			v, _ := info.Uses[e.Sel].(*types.Var) // pkg.v
			return v
		case *ast.IndexExpr:
			expr = e.X
		case *ast.StarExpr:
			expr = e.X
		case *ast.CallExpr:
			if isConversion(info, e) {
				expr = e.Args[0]
				continue
			}
			// A wrapper of a testing value: require.New(t).
			if len(e.Args) > 0 && isTestingLike(info.TypeOf(e.Args[0])) {
				expr = e.Args[0]
				continue
			}
			// An accessor: s.T(), s.Require().
			sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
			if !ok || len(e.Args) != 0 || info.Selections[sel] == nil {
				return nil
			}
			expr = sel.X
		default:
			return nil
		}
	}
	return nil
}

// TypeOf is info.TypeOf, read faster for a variable's name, a field or a
// method selected, and a composite literal that names its type: the maps
// of uses, definitions and selections are much smaller than that of every
// expression's type, which only other expressions need.
func TypeOf(info *types.Info, e ast.Expr) types.Type {
	switch e := e.(type) {
	case *ast.Ident:
		if v := identVar(info, e); v != nil {
			return v.Type()
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil {
			return sel.Type()
		}
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v.Type() // pkg.V
		}
	case *ast.CompositeLit:
		var name *ast.Ident
		switch t := e.Type.(type) {
		case *ast.Ident:
			name = t
		case *ast.SelectorExpr:
			name = t.Sel
		}
		if name != nil {
			if tn, ok := info.Uses[name].(*types.TypeName); ok {
				return tn.Type()
			}
		}
	}
	return info.TypeOf(e)
}

// identVar returns the variable that id declares or uses, or nil.
func identVar(info *types.Info, id *ast.Ident) *types.Var {
	if v, ok := info.Uses[id].(*types.Var); ok {
		return v
	}
	v, _ := info.Defs[id].(*types.Var)
	return v
}

// isConversion reports whether call converts one value to a type.
func isConversion(info *types.Info, call *ast.CallExpr) bool {
	tv, ok := info.Types[call.Fun]
	return ok && tv.IsType() && len(call.Args) == 1
}

// Mentions reports whether the syntax under n uses v.
func Mentions(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}
