// Package cleanupctx defines an Analyzer that reports a function registered
// with t.Cleanup that uses a context which is already cancelled when the
// cleanup runs.
//
// # Analyzer cleanupctx
//
// cleanupctx: report cleanups that use a context already cancelled when they run
//
// Since Go 1.24, t.Context() (and b.Context(), f.Context(),
// testing.TB.Context()) returns a context that is cancelled just before the
// functions registered with t.Cleanup are called. A cleanup that tears
// something down with that context gets "context canceled": the error is
// usually ignored, the resource leaks, and later tests flake on what is
// left over.
//
//	func TestDB(t *testing.T) {
//		ctx := t.Context()
//		db := createSchema(ctx, t.Name())
//		t.Cleanup(func() {
//			db.Drop(ctx) // ctx is already cancelled: Drop fails with context canceled
//		})
//	}
//
// The same order bug has an older twin: a context whose cancel function is
// deferred, or called, in the function that registers the cleanup is
// cancelled when that function returns, before any cleanup runs.
//
// The check reports a use, in a function registered with t.Cleanup
// (directly as a literal, a closure variable, a named function or method
// value, a closure a helper of the package hands back, or through a helper
// in any package that registers its function argument), of a context certainly cancelled when the cleanup runs:
// t.Context() of the test the cleanup is registered on or of a subtest of
// it; a context derived from one (context.WithTimeout, WithValue,
// WithCancel, ...), held in a variable or in a struct field assigned in
// the function that registers the cleanup (s.ctx = s.T().Context() in a
// suite's setup), or returned by a helper in any package; and a context
// whose cancel function that function defers or calls at its top level. A
// use is passing the context to a call; calling the context's own methods
// (ctx.Err(), ctx.Done(), ctx.Value(k)) is not, as they do not fail, and
// neither is passing it to a function that only reads values from it
// (log/slog, FromContext-style accessors), or to a parameter the callee
// names _, leaves unnamed or never reads. A helper that uses its context
// argument in a cleanup it registers on its testing argument is reported
// at the call that passes it such a context. A context the cleanup
// derives from a cancelled one (stopCtx, cancel :=
// context.WithTimeout(t.Context(), time.Second)) is reported at that
// derivation, the expression to change, once for all its uses. A call in
// a cleanup of a helper that uses the Context() of a testing value it is
// given (its argument, or a field of its receiver), itself or through the
// helpers it calls at any depth and in any package, is reported at that
// call; so is a call of a function literal of the package that uses a
// cancelled context.
//
// It does not report context.WithoutCancel of such a context,
// context.Background() or context.TODO(), a parent test's context used in
// a subtest's cleanup (the parent is still running), t.Context() used in
// the test's body, a context of a test other than the cleanup's, or a
// context whose origin it cannot follow (a parameter, a package-level
// variable, a field assigned elsewhere, a value with several possible
// origins of which one is live).
//
// The suggested fix passes context.WithoutCancel(ctx), which keeps the
// context's values and drops its cancellation and deadline, adding the
// context import where needed. It is offered for cleanups written as
// function literals, in files whose Go version is 1.21 or later.
package cleanupctx
