// Package failnow defines an Analyzer that reports calls that stop a test
// (t.Fatal, t.FailNow, t.Skip, testify's require) from a goroutine other
// than the one running that test.
//
// # Analyzer failnow
//
// failnow: report t.Fatal, t.FailNow, t.Skip and require calls made off the test's goroutine
//
// t.FailNow, and so t.Fatal, t.Fatalf, t.SkipNow, t.Skip and t.Skipf, stop
// the test by calling runtime.Goexit, which only works on the goroutine
// running the test. Called from any other goroutine it ends that goroutine
// instead: the test goes on as if nothing failed, deadlocks waiting for the
// dead goroutine, or dies with "test executed panic(nil) or
// runtime.Goexit". testify's require functions and methods call FailNow
// and are the most common form. The testing methods that call Fatal when
// they fail (t.TempDir, t.Setenv, t.Chdir, t.ArtifactDir, also through
// testing.TB) do the same on that failure.
//
//	func TestWorker(t *testing.T) {
//		done := make(chan bool)
//		go func() {
//			if err := work(); err != nil {
//				t.Fatal(err) // ends this goroutine only; the test blocks on <-done
//			}
//			done <- true
//		}()
//		<-done
//	}
//
// The check reports such a call, or a call of a helper that makes one (in
// any package, through analysis facts), when it runs on another goroutine
// than the test owning the testing value: in a go statement (also a
// method started there whose receiver was built with a closure stopping a
// test in a field the method calls: go w.run() with w.onErr set so, or a
// helper given such a value that starts the method: newTestSession(t,
// &Server{Handler: h}) with go srv.serveOnce(l) inside); in a callback
// that runs on its own goroutine (errgroup's Go and TryGo,
// sync.WaitGroup.Go, time.AfterFunc, context.AfterFunc, testify's
// Eventually, or a function of any package that starts a goroutine running
// its argument); in a callback that a library keeps and later runs from a
// goroutine of its own (fiber's app.Get(path, h) with app.Test(req), nats'
// Subscribe(subj, cb), hooks run by a background loop: the library keeps a
// callback of some function type in a field, map or route table, and a
// function the test calls runs callbacks of that type on a goroutine it
// starts, at any depth and across packages, through interface methods
// too, and on a value built from the one that keeps it (paho's options,
// copied into the client NewClient returns, whose Connect runs them; a
// package-level mux, which any server of the package serving it runs:
// dns.HandleFunc, converting the function to a dns.HandlerFunc kept as a
// dns.Handler, with go srv.ActivateAndServe()); or
// a value held as an interface whose methods it runs: a gRPC
// service implementation, an http.Handler kept by a child server, a
// handler in the Handler field of a dns.Server that its ListenAndServe
// serves); in an
// HTTP handler that a
// server runs (passed to httptest.NewServer, http.Serve,
// http.ListenAndServe, fcgi.Serve, an http.Server's Handler, or registered on a mux one
// of these serves; and the functions such a handler holds in fields that
// its ServeHTTP calls, of any package); for a parent's testing value used inside a subtest
// body, which runs on the subtest's goroutine (also one a helper of any
// package starts: runCase(t, name, f) calling t.Run(name, f)): the
// testing package then panics the whole test binary; and for a parent's testing value used in
// a sub-benchmark's body, where FailNow ends only the sub-benchmark.
// Function values are followed through struct fields (table entries),
// variables assigned several times, type assertions out of interface
// values (f := v.(func())), and closures that helpers hand back,
// also helpers of other packages, through facts
// (httptest.NewServer(testutil.Handler(t))); a method called through an
// interface value runs the methods of the concrete types the package
// shows it may hold (var j job = fatalJob{t}; go j.Do()), also when the
// method is promoted from an interface a struct embeds (e := &withFatalf{t};
// e.Fatalf(...)); a helper that
// runs each function of a list it is given (a slice, a variadic list), or
// the method of an interface value with one method, on goroutines runs
// what its caller puts there (runAll(fns...), runStep(fatalStep{t})); a
// function field started with go or handed to a runner runs what the
// package's code gives it, also when a setter, a functional option or
// another package may give it more (go s.Handler(c) after s.Handler =
// func(...) { t.Fatal(...) } or WithHandler(func(...) { ... })); a helper
// taking an interface that declares Fatalf, Fatal or Skip as testing.TB
// does but has no FailNow (check(f fataler, err)) stops the test of the
// testing value it is given; since such an interface is as often given a
// logger, whose Fatalf exits the process, a value of it counts only where
// the package shows it holds a testing value (var f fataler = t, or a
// field set by a constructor the package calls with t: newHarness(t)).
//
// It does not report what the testing package supports by design: Fatal
// and SkipNow in b.RunParallel's body, on a subtest's own testing value,
// and in t.Cleanup callbacks (they run on the test's goroutine). Nor the
// methods that are safe anywhere (Error, Errorf, Log, Fail); handlers and
// callbacks that the test runs itself (h.ServeHTTP(rec, req), fiber's
// app.Handler()(ctx), a registry it runs, sort.Slice, sync.Once.Do) or
// that nothing the test calls runs on a goroutine; nor testify assertions
// on a value whose FailNow is meant to end the goroutine it runs on
// (*assert.CollectT in EventuallyWithT, a retry harness's R): only a
// FailNow that reaches a testing value's is reported. Nor a callback
// handed to a function that starts its goroutines only past early
// returns that the call's constant arguments take (if n == 1 { f(0);
// return }).
//
// The suggested fix, offered only in the goroutine's own function body,
// replaces t.Fatal(args) with t.Error(args) followed by return (Fatalf
// with Errorf, FailNow with Fail), and require.X(t, args) with
// if !assert.X(t, args) { return } (s.Require().X with s.Assert().X).
package failnow
