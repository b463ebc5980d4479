package summary

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
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
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return isProcessWideSetter(fn)
}

func isProcessWideSetter(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	return processWideSetters[fn.Pkg().Path()][fn.Name()]
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
