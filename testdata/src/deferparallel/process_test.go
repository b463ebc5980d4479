package deferparallel

import (
	"io"
	"log"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
)

var timeout = 10

func TestSetenvRestored(t *testing.T) {
	old := os.Getenv("MODE")
	os.Setenv("MODE", "test")
	defer os.Setenv("MODE", old) // want `os.Setenv is deferred and restores process-wide state, but parallel subtest "a" runs after TestSetenvRestored returns, when the state is already restored; use t.Cleanup`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		_ = os.Getenv("MODE")
	})
}

func TestChdirRestored(t *testing.T) {
	wd, _ := os.Getwd()
	os.Chdir(os.TempDir())
	defer os.Chdir(wd) // want `os.Chdir is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestPackageVariableRestored(t *testing.T) {
	old := timeout
	timeout = 1
	defer func() { timeout = old }() // want `a function literal is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestOtherPackageVariableRestored(t *testing.T) {
	old := http.DefaultTransport
	http.DefaultTransport = &http.Transport{}
	defer func() { http.DefaultTransport = old }() // want `a function literal is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestGOMAXPROCSRestored(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // want `runtime.GOMAXPROCS is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestGCPercentRestored(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // want `debug.SetGCPercent is deferred`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestLogOutputRestored(t *testing.T) {
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr) // want `log.SetOutput is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestRestoredByHelper(t *testing.T) {
	setTimeout(1)
	defer setTimeout(10) // want `setTimeout is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func setTimeout(n int) { timeout = n }

func TestRestoredByClosure(t *testing.T) {
	restore := func() { os.Unsetenv("MODE") }
	defer restore() // want `restore is deferred and restores process-wide state`
	t.Run("a", func(t *testing.T) {
		t.Parallel()
	})
}

func TestProcessStateWithNamedSubtestFunction(t *testing.T) {
	os.Setenv("MODE", "test")
	defer os.Unsetenv("MODE") // want `os.Unsetenv is deferred and restores process-wide state, but parallel subtest "named"`
	t.Run("named", parallelNamed)
}

func parallelNamed(t *testing.T) {
	t.Parallel()
	_ = os.Getenv("MODE")
}
