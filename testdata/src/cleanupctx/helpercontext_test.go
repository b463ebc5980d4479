package cleanupctx

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"cleanupctx/cmdutil"
)

// Helpers that a cleanup calls, at any depth, and that use the Context()
// of the testing value they are given: cancelled before the cleanup runs.
// Reported at the cleanup's call.

// runCmd is a command runner bounded by the test's context.
func runCmd(t *testing.T, name string, args ...string) error { // want runCmd:"testctx=0"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	return exec.CommandContext(ctx, name, args...).Run()
}

// teardown removes the test's container with runCmd.
func teardown(t *testing.T, id string) { // want teardown:"testctx=0"
	if err := runCmd(t, "docker", "rm", "-f", id); err != nil {
		t.Error(err)
	}
}

// stopAll is one more level.
func stopAll(t *testing.T, ids ...string) { // want stopAll:"testctx=0"
	for _, id := range ids {
		teardown(t, id)
	}
}

func TestTeardownHelperRunsCommand(t *testing.T) {
	t.Cleanup(func() {
		teardown(t, "db") // want `^teardown uses t\.Context\(\) \(in runCmd\), which is cancelled just before Cleanup functions are called, so what it does with it fails with context canceled; have it take a context, and pass it context\.WithoutCancel\(t\.Context\(\)\) from the cleanup$`
	})
}

func TestCommandRunnerInCleanup(t *testing.T) {
	t.Cleanup(func() {
		_ = runCmd(t, "docker", "rm", "db") // want `^runCmd uses t\.Context\(\), which is cancelled`
	})
}

func TestHelperThreeDeep(t *testing.T) {
	t.Cleanup(func() {
		stopAll(t, "db", "cache") // want `^stopAll uses t\.Context\(\) \(in runCmd\)`
	})
}

// runCmdContext is the repaired runner: its caller chooses the context.
func runCmdContext(ctx context.Context, name string, args ...string) error {
	return exec.CommandContext(ctx, name, args...).Run()
}

func TestRunnerGivenDetachedContext(t *testing.T) {
	t.Cleanup(func() {
		_ = runCmdContext(context.WithoutCancel(t.Context()), "docker", "rm", "db")
	})
}

func TestRunnerGivenBackground(t *testing.T) {
	t.Cleanup(func() {
		_ = runCmdContext(context.Background(), "docker", "rm", "db")
	})
}

// detachedTeardown derives its context from context.WithoutCancel.
func detachedTeardown(t *testing.T, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
	defer cancel()
	_ = exec.CommandContext(ctx, "docker", "rm", id).Run()
}

func TestDetachedTeardownHelper(t *testing.T) {
	t.Cleanup(func() {
		detachedTeardown(t, "db")
	})
}

// The helper in the test's body: the test is running.
func TestTeardownHelperInBody(t *testing.T) {
	teardown(t, "db")
}

// Another package's helpers, through their facts.
func TestOtherPackageTeardown(t *testing.T) {
	t.Cleanup(func() {
		cmdutil.Teardown(t, "db") // want `^cmdutil\.Teardown uses t\.Context\(\) \(in Run\)`
	})
}

func TestOtherPackageTeardownDetached(t *testing.T) {
	t.Cleanup(func() {
		cmdutil.TeardownDetached(t, "db")
	})
}

// Through testing.TB.
func TestTeardownThroughTB(t *testing.T) {
	var tb testing.TB = t
	t.Cleanup(func() {
		_ = cmdutil.Run(tb, "docker", "rm", "db") // want `^cmdutil\.Run uses tb\.Context\(\)`
	})
}

// A subtest's testing value in its parent's cleanup: the subtest ended.
func TestSubtestTeardownInParentCleanup(t *testing.T) {
	t.Run("sub", func(st *testing.T) {
		t.Cleanup(func() {
			teardown(st, "db") // want `^teardown uses st\.Context\(\) \(in runCmd\), a subtest's context, cancelled when the subtest ends`
		})
	})
}

// The parent's testing value in a subtest's cleanup: the parent runs on.
func TestParentTeardownInSubtestCleanup(t *testing.T) {
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(func() {
			teardown(t, "db")
		})
	})
}

// A helper registering the cleanup itself is reported where it registers.
func runContainer(t *testing.T, id string) { // want runContainer:"testctx=0"
	_ = runCmd(t, "docker", "run", id)
	t.Cleanup(func() {
		teardown(t, id) // want `^teardown uses t\.Context\(\)`
	})
}

// A helper that hands a closure on instead of calling it uses nothing.
func teardownLater(t *testing.T, id string) func() {
	return func() {
		teardown(t, id)
	}
}

func TestClosureHandedBack(t *testing.T) {
	later := teardownLater(t, "db")
	_ = later
	t.Cleanup(func() {
		_ = teardownLater(t, "db")
	})
}

// A harness keeps the testing value in a field; its methods are the
// helpers. Their facts name the receiver's field: operand 0's t.
type cluster struct {
	t    testing.TB
	name string
}

func (c *cluster) run(args ...string) error { // want run:"testctx=0.t"
	ctx, cancel := context.WithTimeout(c.t.Context(), time.Minute)
	defer cancel()
	return exec.CommandContext(ctx, c.name, args...).Run()
}

func (c *cluster) stop() { // want stop:"testctx=0.t"
	_ = c.run("stop") // want `^c\.run uses c\.t\.Context\(\)`
}

func (c *cluster) runDetached(args ...string) error {
	return exec.CommandContext(context.WithoutCancel(c.t.Context()), c.name, args...).Run()
}

func TestHarnessMethodInCleanup(t *testing.T) {
	c := &cluster{t: t, name: "kind"}
	t.Cleanup(func() {
		c.stop() // want `^c\.stop uses c\.t\.Context\(\) \(in run\), which is cancelled`
	})
}

// The method value registered as the cleanup: its calls of run are
// reported, in the method.
func newCluster(t *testing.T) *cluster { // want newCluster:"holds=0.t:t=0"
	c := &cluster{t: t, name: "kind"}
	t.Cleanup(c.stop)
	return c
}

func (c *cluster) stopTwice() { // want stopTwice:"testctx=0.t"
	_ = c.run("stop") // want `^c\.run uses c\.t\.Context\(\), which is cancelled`
	_ = c.run("rm")   // want `^c\.run uses c\.t\.Context\(\)`
}

func TestHarnessMethodValueInCleanup(t *testing.T) {
	c := &cluster{t: t, name: "kind"}
	t.Cleanup(c.stopTwice)
}

func TestHarnessDetachedInCleanup(t *testing.T) {
	c := &cluster{t: t, name: "kind"}
	t.Cleanup(func() {
		_ = c.runDetached("stop")
	})
}

// A harness whose field holds another test's testing value (the parent's,
// still running) is silent.
func TestHarnessOfParentInSubtestCleanup(t *testing.T) {
	c := &cluster{t: t, name: "kind"}
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(func() {
			c.stop()
		})
	})
}

// A constructor that keeps its testing argument in the field: its fact
// says which.
func TestHarnessFromConstructor(t *testing.T) {
	c := newCluster(t)
	t.Cleanup(func() {
		c.stop() // want `^c\.stop uses c\.t\.Context\(\) \(in run\)`
	})
}

func TestHarnessFromConstructorOfParentInSubtestCleanup(t *testing.T) {
	c := newCluster(t)
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(func() {
			c.stop()
		})
	})
}

// Another package's harness, through the facts of its constructor and
// methods.
func TestOtherPackageHarness(t *testing.T) {
	e := cmdutil.NewEnv(t, "db")
	t.Cleanup(func() {
		e.Down() // want `^e\.Down uses e\.t\.Context\(\) \(in Run\)`
	})
}

func TestOtherPackageHarnessDetached(t *testing.T) {
	e := cmdutil.NewEnv(t, "db")
	t.Cleanup(func() {
		e.DownDetached()
	})
}

// A harness whose testing field is also set by a statement holds what the
// last statement set: not followed.
type rebound struct {
	t  testing.TB
	id string
}

func newRebound(t testing.TB) *rebound {
	r := &rebound{id: "db"}
	r.t = t
	return r
}

func (r *rebound) down() { // want down:"testctx=0.t"
	_ = cmdutil.Run(r.t, "docker", "rm", r.id)
}

func TestHarnessFieldSetByStatement(t *testing.T) {
	r := newRebound(t)
	t.Cleanup(func() {
		r.down()
	})
}

// A method helper given the testing value: operand 1.
type registry struct{ name string }

func (r *registry) purge(t *testing.T) { // want purge:"testctx=1"
	_ = runCmd(t, "purge", r.name)
}

func TestMethodGivenTestingValue(t *testing.T) {
	r := &registry{name: "db"}
	t.Cleanup(func() {
		r.purge(t) // want `^r\.purge uses t\.Context\(\) \(in runCmd\)`
	})
}

// Helper literals in variables: capturing t, taking it, capturing a
// context, calling a declared helper.
func TestLiteralHelperCapturingT(t *testing.T) {
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		return exec.CommandContext(ctx, "docker", args...).Run()
	}
	_ = run("run", "db")
	t.Cleanup(func() {
		_ = run("rm", "db") // want `^run calls exec\.CommandContext with ctx, which is cancelled before the cleanup runs \(t\.Context\(\) is cancelled just before Cleanup functions are called\), so it fails with context canceled; use context\.WithoutCancel\(t\.Context\(\)\) in run$`
	})
}

func TestLiteralHelperTakingT(t *testing.T) {
	rm := func(tb testing.TB, id string) {
		_ = cmdutil.Run(tb, "docker", "rm", id)
	}
	t.Cleanup(func() {
		rm(t, "db") // want `^rm uses t\.Context\(\) \(in Run\)`
	})
}

func TestLiteralHelperCapturingContext(t *testing.T) {
	ctx := t.Context()
	rm := func(id string) error {
		return runCmdContext(ctx, "docker", "rm", id)
	}
	t.Cleanup(func() {
		_ = rm("db") // want `^rm calls runCmdContext with ctx, which is cancelled before the cleanup runs \(t\.Context\(\) is cancelled just before`
	})
}

func TestLiteralHelperCallingHelper(t *testing.T) {
	down := func() {
		teardown(t, "db")
	}
	t.Cleanup(func() {
		down() // want `^down uses t\.Context\(\) \(in runCmd\)`
	})
}

func TestLiteralHelperDetached(t *testing.T) {
	ctx := context.WithoutCancel(t.Context())
	rm := func(id string) error {
		return runCmdContext(ctx, "docker", "rm", id)
	}
	t.Cleanup(func() {
		_ = rm("db")
	})
}

// A literal given the parent's testing value in a subtest's cleanup.
func TestLiteralHelperParentInSubtestCleanup(t *testing.T) {
	rm := func(tb testing.TB) {
		_ = cmdutil.Run(tb, "docker", "rm", "db")
	}
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(func() {
			rm(t)
		})
	})
}

// A helper whose only use is through an interface method, which may not
// need the context alive (a tracer's Start), has no fact: every cleanup
// that calls it would be a finding.
type spanStarter interface {
	Start(ctx context.Context, name string) context.Context
}

func traceTeardown(t *testing.T, tr spanStarter) {
	_ = tr.Start(t.Context(), "teardown")
}

func TestHelperUsingInterfaceMethodInCleanup(t *testing.T) {
	var tr spanStarter
	t.Cleanup(func() {
		traceTeardown(t, tr)
	})
}

// A closure a helper hands back, registered as the cleanup: its
// parameters stand for the caller's variables. Reported in the closure,
// with no fix (it serves every caller).
func startDB(t *testing.T) func() {
	ctx := t.Context()
	return func() {
		_ = drop(ctx) // want `^ctx is cancelled before the cleanup runs \(t\.Context\(\) is cancelled just before Cleanup functions are called\), so drop fails`
	}
}

func TestClosureHandedBackRegistered(t *testing.T) {
	t.Cleanup(startDB(t))
}

func startCache(t *testing.T) (func(), error) {
	stop := func() {
		teardown(t, "cache") // want `^teardown uses t\.Context\(\) \(in runCmd\)`
	}
	return stop, nil
}

func TestClosureHandedBackInVariable(t *testing.T) {
	stop, err := startCache(t)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
}

func startDBDetached(t *testing.T) func() {
	ctx := context.WithoutCancel(t.Context())
	return func() {
		_ = drop(ctx)
	}
}

func TestClosureHandedBackDetached(t *testing.T) {
	t.Cleanup(startDBDetached(t))
}

// Deferred, the closure runs before the test's context is cancelled.
func TestClosureHandedBackDeferred(t *testing.T) {
	stop := startDB(t)
	defer stop()
}

// The parent's testing value, in a subtest's cleanup.
func TestClosureHandedBackOfParentInSubtest(t *testing.T) {
	t.Run("sub", func(st *testing.T) {
		st.Cleanup(startDB(t))
	})
}
