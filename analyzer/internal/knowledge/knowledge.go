// Package knowledge is what testraces knows of library functions and
// types without reading their code: which functions listen, dial, wait or
// sleep, which run a callback on another goroutine, which stop a test
// (testify's require), which change process-wide state, which serve HTTP
// handlers, which derive or cancel a context or only read its values; and
// the helpers that tell whether a function or type is a given one of a
// package.
//
// Every table of library behaviour lives here, in one place, so that
// adding a library is one edit and every analyzer sees it.
package knowledge

import (
	"go/types"
	"strings"
)

// Testify's packages. Vendored copies have longer paths that end with
// these, so they are matched by suffix (see IsTestify).
const (
	TestifyAssert  = "github.com/stretchr/testify/assert"
	TestifyRequire = "github.com/stretchr/testify/require"
)

// IsTestify reports whether path is testify's package pkg (TestifyAssert,
// TestifyRequire), vendored or not.
func IsTestify(path, pkg string) bool {
	return path == pkg || strings.HasSuffix(path, "/"+pkg)
}

// IsFunc reports whether fn is the package-level function path.name for
// one of names.
func IsFunc(fn *types.Func, path string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path || fn.Signature().Recv() != nil {
		return false
	}
	return oneOf(fn.Name(), names)
}

// IsMethod reports whether fn is the method typ.name, declared in package
// path (on typ or *typ), for one of names.
func IsMethod(fn *types.Func, path, typ string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path {
		return false
	}
	return receiverName(fn) == typ && oneOf(fn.Name(), names)
}

// IsType reports whether t, or the type t points to, is the named type
// path.name for one of names.
func IsType(t types.Type, path string, names ...string) bool {
	named, ok := types.Unalias(Deref(t)).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != path {
		return false
	}
	return oneOf(named.Obj().Name(), names)
}

// Deref returns the type t points to, or t if it is not a pointer.
func Deref(t types.Type) types.Type {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		return ptr.Elem()
	}
	return t
}

// HasFieldOf reports whether t is a struct, or a pointer to one, with a
// field whose type is.
func HasFieldOf(t types.Type, is func(types.Type) bool) bool {
	st, ok := Deref(t).Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for field := range st.Fields() {
		if is(field.Type()) {
			return true
		}
	}
	return false
}

// receiverName returns the name of the named type fn is a method of, or
// "" for a function (or a method of an unnamed interface).
func receiverName(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	if named, ok := types.Unalias(Deref(recv.Type())).(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

// A table maps a package path, then a function ("Name") or method
// ("Type.Name") of it, to what is known of it. Every table here is
// written that way and looked up through lookup.
type table[T any] map[string]map[string]T

// A memberKey names a function ("", "Name") or method ("Type", "Name")
// within its package.
type memberKey struct{ recv, name string }

// An index is a table keyed by memberKey, so that a lookup, done for most
// calls the summaries see, builds no string.
type index[T any] map[string]map[memberKey]T

// indexed returns t as an index.
func indexed[T any](t table[T]) index[T] {
	x := make(index[T], len(t))
	for path, members := range t {
		x[path] = make(map[memberKey]T, len(members))
		for name, v := range members {
			recv, method, isMethod := strings.Cut(name, ".")
			if !isMethod {
				recv, method = "", name
			}
			x[path][memberKey{recv, method}] = v
		}
	}
	return x
}

// lookup returns what x knows of fn, and whether fn's package is in x.
func (x index[T]) lookup(fn *types.Func) (v T, inPackage bool) {
	if fn == nil || fn.Pkg() == nil {
		return v, false
	}
	members, ok := x[fn.Pkg().Path()]
	if !ok {
		return v, false
	}
	recv := receiverName(fn)
	if recv == "" && fn.Signature().Recv() != nil {
		return v, true // a method of an unnamed interface
	}
	return members[memberKey{recv, fn.Name()}], true
}

func oneOf(s string, names []string) bool {
	for _, n := range names {
		if s == n {
			return true
		}
	}
	return false
}

// IsNetListener reports whether t is net.Listener or one of net's
// listeners (*net.TCPListener, *net.UnixListener).
func IsNetListener(t types.Type) bool {
	return IsType(t, "net", "Listener", "TCPListener", "UnixListener")
}

// IsPacketConn reports whether t is a net.PacketConn or one of net's
// packet sockets: bound when it exists, as a listener is (a QUIC server
// serves one).
func IsPacketConn(t types.Type) bool {
	return IsType(t, "net", "PacketConn", "UDPConn", "UnixConn", "IPConn")
}

// IsTimer reports whether t is a *time.Timer or *time.Ticker, whose
// channel C a test receives from to sleep.
func IsTimer(t types.Type) bool {
	return IsType(t, "time", "Timer", "Ticker")
}

// InPackage reports whether obj belongs to the package path, for one of
// paths.
func InPackage(obj types.Object, paths ...string) bool {
	return obj != nil && obj.Pkg() != nil && oneOf(obj.Pkg().Path(), paths)
}

// IsTestifyFunc reports whether fn is a function or method of testify's
// package pkg (TestifyAssert, TestifyRequire), vendored or not.
func IsTestifyFunc(fn *types.Func, pkg string) bool {
	return fn != nil && fn.Pkg() != nil && IsTestify(fn.Pkg().Path(), pkg)
}
