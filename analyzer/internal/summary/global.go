package summary

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// processWideSetters are functions that change state shared by every
// goroutine of the process: a test that sets one and restores it with
// defer restores it before its parallel subtests run.
var processWideSetters = map[string]map[string]bool{
	"os":            {"Setenv": true, "Unsetenv": true, "Clearenv": true, "Chdir": true},
	"syscall":       {"Setenv": true, "Unsetenv": true, "Clearenv": true, "Chdir": true},
	"runtime":       {"GOMAXPROCS": true, "SetBlockProfileRate": true, "SetMutexProfileFraction": true, "SetCPUProfileRate": true},
	"runtime/debug": {"SetGCPercent": true, "SetMaxStack": true, "SetMaxThreads": true, "SetMemoryLimit": true, "SetPanicOnFault": true, "SetTraceback": true},
	"log":           {"SetOutput": true, "SetFlags": true, "SetPrefix": true},
	"log/slog":      {"SetDefault": true, "SetLogLoggerLevel": true},
	"flag":          {"Set": true},
	"math/rand":     {"Seed": true},
}

// IsProcessWideSetter reports whether call is a call of a function, such
// as os.Setenv, that changes process-wide state.
func IsProcessWideSetter(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	return processWideSetters[fn.Pkg().Path()][fn.Name()]
}

// assignsPackageLevel reports whether body itself (not a function literal
// in it) assigns, increments or decrements a package-level variable or
// something inside one.
func assignsPackageLevel(info *types.Info, body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				return true
			}
			for _, lhs := range n.Lhs {
				if testmodel.IsPackageLevel(RootVar(info, lhs)) {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if testmodel.IsPackageLevel(RootVar(info, n.X)) {
				found = true
			}
		}
		return true
	})
	return found
}

// RootVar returns the variable at the root of an assignable expression:
// v for v, v.f, v[i], *v and pkg.v; nil if there is none.
func RootVar(info *types.Info, expr ast.Expr) *types.Var {
	for {
		switch e := ast.Unparen(expr).(type) {
		case *ast.Ident:
			v, _ := info.Uses[e].(*types.Var)
			if v == nil {
				v, _ = info.Defs[e].(*types.Var)
			}
			return v
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
		default:
			return nil
		}
	}
}
