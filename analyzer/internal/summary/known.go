package summary

import (
	"go/types"
	"strings"
)

// What the summaries know of functions without reading their code: the
// standard library's and common modules' functions that run a callback on
// another goroutine, and testify's require, whose facts may be missing
// when it was not analysed (vendored, or a driver without facts).

// asyncCallbacks maps "pkgpath.Recv.Name" (or "pkgpath.Name") to the
// operand that the function runs on another goroutine.
var asyncCallbacks = map[string]int{
	"golang.org/x/sync/errgroup.Group.Go":    1,
	"golang.org/x/sync/errgroup.Group.TryGo": 1,
	"sync.WaitGroup.Go":                      1,
	"time.AfterFunc":                         1,
	"context.AfterFunc":                      1,
	"testing.B.RunParallel":                  1,
}

// AsyncOperands returns the operands that fn, a function known without
// its code, runs on another goroutine.
func AsyncOperands(fn *types.Func) Bits {
	if fn == nil {
		return 0
	}
	switch fn.Name() { // most calls are none of these: skip building a name
	case "Go", "TryGo", "AfterFunc", "RunParallel":
	default:
		return 0
	}
	if i, ok := asyncCallbacks[qualifiedName(fn)]; ok {
		return bit(i)
	}
	return 0
}

// knownFailsNow returns the operands of fn, a function known without its
// code, that reach a testing value whose test fn stops: every function of
// testify's require taking a TestingT first, and every method of
// *require.Assertions.
func knownFailsNow(fn *types.Func) Bits {
	if fn.Pkg() == nil || !strings.HasSuffix(fn.Pkg().Path(), "github.com/stretchr/testify/require") {
		return 0
	}
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		if named, ok := types.Unalias(deref(recv.Type())).(*types.Named); ok && named.Obj().Name() == "Assertions" {
			return bit(0)
		}
		return 0
	}
	if sig.Params().Len() > 0 && sig.Results().Len() == 0 { // not New

		if named, ok := types.Unalias(sig.Params().At(0).Type()).(*types.Named); ok && named.Obj().Name() == "TestingT" {
			return bit(0)
		}
	}
	return 0
}

// qualifiedName returns "pkgpath.Name" or "pkgpath.Recv.Name".
func qualifiedName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	if recv := fn.Signature().Recv(); recv != nil {
		if named, ok := types.Unalias(deref(recv.Type())).(*types.Named); ok {
			return fn.Pkg().Path() + "." + named.Obj().Name() + "." + fn.Name()
		}
		return ""
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

func deref(t types.Type) types.Type {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		return ptr.Elem()
	}
	return t
}
