// Package deferparallel defines an Analyzer that reports teardown registered
// with defer in a function whose parallel subtests still need what it tears
// down.
//
// # Analyzer deferparallel
//
// deferparallel: report defers that run before the parallel subtests that use what they tear down
//
// A subtest that calls t.Parallel pauses until its parent's function has
// returned, and only then runs the rest of its body (golang/go#17791). A
// deferred call in the parent therefore runs before the parallel subtests
// it was meant to outlive:
//
//	func TestAPI(t *testing.T) {
//		ts := httptest.NewServer(handler)
//		defer ts.Close() // runs when TestAPI returns: before "get" runs
//		t.Run("get", func(t *testing.T) {
//			t.Parallel()
//			http.Get(ts.URL) // the server is already closed
//		})
//	}
//
// The check reports a defer statement when the function starts, through
// t.Run (directly, in a loop, or through a helper in any package; its body
// a literal, a method value, a table entry's function or a closure a
// helper hands back), a subtest
// that may call t.Parallel on its own testing value, and the deferred call
// shares state with that subtest: its receiver, arguments or free variables
// include a variable that the subtest uses after it goes parallel, or a
// variable assigned in the same statement (ctx, cancel := ...), or one that
// the used variable was computed from and still refers to (url := ts.URL,
// addr := ln.Addr().String(), repo := NewRepo(db), path :=
// filepath.Join(dir, "k"), fmt.Sprintf("%s/x", ts.URL)). Data read out of
// the resource before the subtests start is a snapshot and shares nothing:
// a string, number, boolean or byte slice (or a struct of those) that a
// read returned (io.ReadAll(resp.Body), os.ReadFile, cmd.Output, a helper
// of the package that returns what it read, like page := fetch(t, ts.URL)
// or key := store.VerifyKey()), len or cap of anything, and what pure
// functions (strings, strconv, filepath.Join, ...) compute from such data.
// Whatever is not known to be such data, a field or an accessor of the
// resource, a call of another package's function, is taken to refer to
// everything it was computed from. A deferred call that
// restores process-wide state (os.Setenv, os.Chdir, assignments to
// package-level variables, ...) and a teardown returned by a setup call
// (defer setup(t)()) share state with every parallel subtest.
//
// It does not report subtests grouped under a non-parallel t.Run, which
// returns only after its parallel subtests finish; subtests that never call
// t.Parallel; deferred calls that release what the subtests wait for
// (mu.Unlock, wg.Done, close(ch)) or only log; sub-benchmarks, which are
// never parallel; and a defer and subtests kept apart by a condition that
// holds for a whole test run (if *update { defer ... } against subtests
// parallel only under !*update; likewise testing.Short()); nor a struct
// that holds what the defer tears down in fields that the parallel
// subtests never read, followed through helpers, copies, method values
// and method calls, leaving out the branches that the constants they are
// called with (run(t, false)) or such a condition exclude: a golden-file
// test whose parallel subtests replay, and whose update, never parallel,
// alone runs the command that reads the removed file.
//
// The suggested fix registers the call with t.Cleanup, which runs after
// every subtest has finished. It keeps the arguments that defer evaluated
// at the defer statement evaluated there, and converts every earlier defer
// of the function too, so that the calls keep their relative order; where
// that cannot be done exactly, it offers no fix.
package deferparallel
