package knowledge

import (
	"go/types"
	"strings"
)

// What library functions do with a context, for telling a context that is
// cancelled when a test's cleanups run from one that is not.

// IsContext reports whether t is context.Context (not a pointer to one).
func IsContext(t types.Type) bool {
	if _, ptr := types.Unalias(t).(*types.Pointer); t == nil || ptr {
		return false
	}
	return IsType(t, "context", "Context")
}

// A derivation is what a function that derives a context from its first
// argument returns. The derived context is cancelled whenever its parent
// is.
type derivation struct {
	result  int  // the result that is the derived context
	cancels bool // result 1 is a function that cancels it
}

var (
	derivesValue  = &derivation{result: 0}
	derivesCancel = &derivation{result: 0, cancels: true}
)

// derivations maps a package path, then "Name", to what the function
// derives; context.WithoutCancel is not one: its context outlives the
// parent's cancellation.
var derivations = table[*derivation]{
	"context": {
		"WithCancel": derivesCancel, "WithCancelCause": derivesCancel,
		"WithTimeout": derivesCancel, "WithTimeoutCause": derivesCancel,
		"WithDeadline": derivesCancel, "WithDeadlineCause": derivesCancel,
		"WithValue": derivesValue,
	},
	"os/signal":                  {"NotifyContext": derivesCancel},
	"golang.org/x/sync/errgroup": {"WithContext": {result: 1}},
}

var derivationIndex = indexed(derivations)

// DerivedContext returns the result of fn that is a context derived from
// fn's first argument (context.WithTimeout(parent, d), errgroup's
// WithContext); ok is false for other functions.
func DerivedContext(fn *types.Func) (result int, ok bool) {
	if d, _ := derivationIndex.lookup(fn); d != nil {
		return d.result, true
	}
	return 0, false
}

// CancelsDerived reports whether fn's second result cancels the context it
// derives: context.WithCancel, WithTimeout, signal.NotifyContext.
func CancelsDerived(fn *types.Func) bool {
	d, _ := derivationIndex.lookup(fn)
	return d != nil && d.cancels
}

// valueReaderPackages are the packages whose every function that takes a
// context only reads values from it: log/slog's ...Context functions and
// methods, and context's own (context.Cause, WithoutCancel).
var valueReaderPackages = map[string]bool{"log/slog": true, "context": true}

// ReadsContextValues reports whether fn only reads values from the
// contexts it is given, so that a cancelled context serves it as well as a
// live one: log/slog and package context themselves, and FromContext-style
// accessors of any package (metadata.FromIncomingContext, zerolog.Ctx).
func ReadsContextValues(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if valueReaderPackages[fn.Pkg().Path()] {
		return true
	}
	name := fn.Name()
	return strings.Contains(name, "FromContext") || strings.Contains(name, "FromCtx") ||
		strings.HasSuffix(name, "FromIncomingContext") || strings.HasSuffix(name, "FromOutgoingContext") ||
		name == "Ctx"
}
