// Package cmdutil is a stub of a project's command-running test helpers,
// in another package than the tests: their facts say which testing
// argument's context they use.
package cmdutil

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// Run runs a command, bounded by the test's context.
func Run(t testing.TB, name string, args ...string) error { // want Run:"testctx=0"
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	return exec.CommandContext(ctx, name, args...).Run()
}

// Teardown removes what the test started, with Run.
func Teardown(t testing.TB, id string) { // want Teardown:"testctx=0"
	if err := Run(t, "docker", "rm", "-f", id); err != nil {
		t.Error(err)
	}
}

// RunContext runs a command with the context it is given.
func RunContext(ctx context.Context, name string, args ...string) error {
	return exec.CommandContext(ctx, name, args...).Run()
}

// TeardownDetached removes what the test started with a context that
// outlives the test's.
func TeardownDetached(t testing.TB, id string) {
	if err := RunContext(context.WithoutCancel(t.Context()), "docker", "rm", "-f", id); err != nil {
		t.Error(err)
	}
}

// Env is a harness that keeps the test's testing value.
type Env struct {
	t  testing.TB
	id string
}

// NewEnv starts a container for the test.
func NewEnv(t testing.TB, id string) *Env { // want NewEnv:"holds=0.t:t=0"
	return &Env{t: t, id: id}
}

// Down removes the container, with the test's context.
func (e *Env) Down() { // want Down:"testctx=0.t"
	_ = Run(e.t, "docker", "rm", "-f", e.id)
}

// DownDetached removes the container with a context that outlives the
// test's.
func (e *Env) DownDetached() {
	_ = RunContext(context.WithoutCancel(e.t.Context()), "docker", "rm", "-f", e.id)
}
