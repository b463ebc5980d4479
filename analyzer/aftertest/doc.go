// Package aftertest defines an Analyzer that reports goroutines that may
// use a test after it has completed.
//
// # Analyzer aftertest
//
// aftertest: report goroutines that may log to or fail a test after it has completed
//
// A test is complete when its function has returned and its cleanups have
// run. A goroutine it started and did not wait for may still be running
// then; when it calls t.Error, t.Fatal or t.Fail, the testing package
// panics the whole test binary ("Fail in goroutine after TestX has
// completed"), usually in a later test and only on a slow machine. A
// t.Log (or a write to t.Output()) goes to the nearest ancestor test
// still running, and panics ("Log in goroutine after TestX has
// completed") once the test and all its ancestors are done. The same holds
// for a logger bound to the test: zaptest.NewLogger(t), testr.New(t),
// ktesting.NewLogger(t, ...), an hclog, slog or log logger writing to
// t.Output() or to an adapter that calls t.Log, a gomock controller
// (it calls t.Fatalf on an unexpected call), a project's own helper
// that returns such a logger (through analysis facts), a logger of any
// package that keeps the writer it is given (directly or in its
// options) and writes to it, built on such an adapter, a helper that
// writes (Write, fmt.Fprintf) to a writer it is given such an adapter
// for, and a testing value's method taken as a value (logf := t.Logf,
// a field given t.Logf,
// also called by a method of the value that holds it: go w.run(), or of
// one a constructor built with it: newConn(t.Logf).Start()), and a
// method called through an interface value of a type the package shows
// it holds (var r reporter = testReporter{t}; r.Report(...)), the testing
// value itself among them (var l logger = t, or a struct embedding the
// interface: &testLogger{t}; l.Log(...); or a field of such an interface
// that a method's goroutine uses: &pinger{log: t}, then p.start() runs
// go func() { p.log.Logf(...) }()). A helper
// handed the test's logger, or the test as an interface with Logf or
// Errorf (testify's assert and require), that starts a goroutine using it
// and returns nothing to stop it with is reported at its call
// (startWorker(t.Logf)), as is a literal in a list that a helper starts
// on goroutines without waiting (startEach(func() { t.Log(...) })).
// The function a goroutine runs may be a value made in the test: a
// closure in a variable, a list or a field, a method value, a closure a
// helper hands back (go logf(), go mk(t)(), s.async(f), a method that
// calls its receiver's field on a goroutine it starts: w.start() with w
// := &worker{onDone: func(error) { t.Log(...) }}); the testing
// value may be a field of a local built with it (h.t with h :=
// &harness{t: t}). A value kept as an interface whose methods the
// keeper's goroutines call is a kept callback too (NewService(&fakeStore{t:
// t}) with a Save that logs, then s.SaveAsync(v)).
//
//	func TestWatch(t *testing.T) {
//		w := startWatcher(t)
//		go func() {
//			for ev := range w.Events() {
//				t.Logf("event: %v", ev) // may run after TestWatch has completed
//			}
//		}()
//		w.Trigger()
//	}
//
// The check reports a go statement, in test code, whose goroutine writes
// to or fails a test from outside it (t.Logf, t.Errorf, a helper that
// does so through a fact, a method of a bound logger or of a mock built
// on a bound controller), a function that a call runs on a goroutine it
// starts (errgroup's Go, wg.Go, a helper's go f(); a runner with a Wait
// method counts as signalling, and so does one of the package whose
// goroutine signals once the function returns, for a wait through the
// runner's operand: ls.buildup(handler), then ls.teardown()), and a function that time.AfterFunc runs
// when its timer is neither stopped nor kept, unless the test may wait
// for the goroutine: the goroutine signals (sends on, receives from or
// closes a channel, marks a WaitGroup done, unlocks, stores atomically,
// calls a function it was given, uses a pipe or connection of the test)
// and the test receives, sends, selects, ranges over a channel, reads or
// writes a stream, or calls a Wait (or anything that waits) after
// starting it, in a deferred call or in a cleanup; or the goroutine uses
// what the test waits on (an event it fires). Any such pair is taken as
// the join, since which one the test waits on is not modelled: the check
// prefers silence to a guess. A runner that may wait itself for what it
// starts (its code is in another package, or it receives) joins its
// callbacks. When the only wait is in the test's own code after the
// start, a t.Fatal, a require, a helper that stops the test or a return
// before it ends the test with the goroutine running: that is reported,
// naming the exit. So is a select, outside any loop and with no other
// wait after it, that waits only until a timeout (time.After, a timer's
// C, the Done of a context.WithTimeout's context, a default) whose case
// lets the test go on without failing it (a return or a t.Skip too): the
// test may pass and end with the goroutine running. A timeout case that
// fails the test (t.Fatal("timeout")) counts as the join: the test has
// failed on that path anyway.
//
// A timer that the test's own code stops only with an unchecked Stop
// (defer timer.Stop(), a watchdog's defer time.AfterFunc(d, f).Stop()) is
// reported at that Stop: when the timer has already fired, Stop returns
// false without waiting, and the function runs on, maybe after the test.
// Checking the result and waiting for the function when it is false
// (if !timer.Stop() { <-done }) is the cure.
//
// A callback that a value keeps and calls from goroutines outliving the
// call that starts them (a watcher's OnChange, a subscription's handler)
// is reported at that start when the test never stops the value: it does
// not use it after the start, nor in a defer or a cleanup, or drops the
// result that could stop it. Handlers the standard library's servers keep
// run while the test's requests are served, and are not reported. So is a
// value built with the test's logger (a server, a consumer) whose method
// starts a goroutine that logs through that field (srv.Start() running go
// s.run(), known through facts in any package), when the test never stops
// it. A stop must wait for the goroutines: when every later use of the
// value is a call of a method whose code is known and never waits for
// another goroutine (Close that only closes a channel), the finding is at
// that call; a callback that tells the test it ran (a send) before the
// stop is not reported.
//
// It judges a goroutine against the test whose code starts it: a test
// function, a subtest's body (t.Run, b.Run), a fuzz target, the function
// of synctest.Test (whose Log calls on its own t go to the outer test,
// which waits for the bubble), or a helper that takes a testing value and
// returns nothing; not a helper that returns a value (what it returns may
// stop the goroutine), a method of a suite, or b.RunParallel's body.
//
// The suggested fix, offered only for go func() { ... }() written in the
// test function itself, outside any loop, when the goroutine ends by
// itself (it calls only testing methods, the test's loggers and the
// standard library's computing functions) or on the test's context
// (select on t.Context().Done() that returns), declares a sync.WaitGroup,
// registers t.Cleanup(wg.Wait) and starts the goroutine with wg.Go (or
// wg.Add(1) and defer wg.Done() before Go 1.25): the context is cancelled
// before cleanups run, so the wait cannot deadlock.
package aftertest
