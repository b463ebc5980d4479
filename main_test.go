package testraces_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// testDir is a temporary directory for what the tests of the package
// share: the binaries built once for all of them.
var testDir string

// prefetch builds, in the background, the binaries that the real-tool
// tests the run selects need, while the in-process tests run: the
// custom golangci-lint (minutes on a cold build cache), the testraces
// command, and efm-langserver. A test that needs one of them waits for
// it; prefetchCtx stops the builds when the tests are over.
var (
	prefetchCtx    context.Context
	prefetchCancel context.CancelFunc
	prefetchDone   sync.WaitGroup
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "testraces-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	prefetchCtx, prefetchCancel = context.WithCancel(context.Background())
	startPrefetch()
	code := m.Run()
	prefetchCancel()
	prefetchDone.Wait()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startPrefetch starts the builds that the selected tests need, one after
// another: run at once they would compile the standard library's
// packages they share twice.
func startPrefetch() {
	if testing.Short() || flag.Lookup("test.list").Value.String() != "" {
		return
	}
	gcl := selected("TestGolangciLint", "TestEditorLanguageServer")
	bin := selected("TestGoVet", "TestGoVetSuperset", "TestStandaloneVet", "TestNeovim", "TestGo127")
	efm := selected("TestEditorLanguageServer")
	vet := selected("TestGoVet", "TestGoVetSuperset", "TestStandaloneFix", "TestGolangciLint")
	bin = bin || vet
	if !gcl && !bin && !efm {
		return
	}
	prefetchDone.Go(func() {
		// Errors are the tests' to report, when they ask for the binary.
		// testraces first: four tests wait for it, and what it compiles
		// (x/tools, the standard library) golangci-lint needs too.
		if bin {
			testracesOnce()
		}
		if vet {
			fixtureVetOnce()
		}
		if gcl {
			customGolangciOnce()
		}
		if efm {
			efmOnce()
		}
	})
}

// selected reports whether -run and -skip select any of the top-level
// tests named, as far as their first elements tell.
func selected(names ...string) bool {
	match := func(flagName string, empty bool) func(string) bool {
		f := flag.Lookup(flagName)
		if f == nil || f.Value.String() == "" {
			return func(string) bool { return empty }
		}
		re, err := regexp.Compile(strings.Split(f.Value.String(), "/")[0])
		if err != nil {
			return func(string) bool { return empty }
		}
		return re.MatchString
	}
	run, skip := match("test.run", true), match("test.skip", false)
	for _, name := range names {
		if run(name) && !skip(name) {
			return true
		}
	}
	return false
}

// testracesOnce builds the command once for the tests of the package.
var testracesOnce = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(testDir, "bin", "testraces")
	if out, err := build(".", nil, "go", "build", "-o", bin, "./cmd/testraces"); err != nil {
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return bin, nil
})

// fixtureVetOnce runs go vet on a copy of testdata/fixture, plainly and
// with the command as its vet tool, once for the tests of the package:
// the dependencies' export data and vet results are then in the build
// cache for the tests that vet the fixtures. Run at once, each of them
// compiled and vetted the fixture's dependencies again (when it imported
// net/http, TestGoVet alone took 70 CPU-s on a cold cache; with
// TestGoVetSuperset beside it, 141). The results are the tests' to check:
// this only warms.
var fixtureVetOnce = sync.OnceValue(func() error {
	bin, err := testracesOnce()
	if err != nil {
		return err
	}
	dir := filepath.Join(testDir, "vetwarm")
	if err := os.CopyFS(dir, os.DirFS("testdata/fixture")); err != nil {
		return err
	}
	for _, args := range [][]string{{"vet", "./..."}, {"vet", "-vettool=" + bin, "./..."}} {
		if out, code, err := run(prefetchCtx, dir, nil, "go", args...); err != nil || code > 1 {
			return fmt.Errorf("go %s on the fixture: exit status %d, %v\n%s", strings.Join(args, " "), code, err, out)
		}
	}
	return nil
})

// warmFixtureVet waits for fixtureVetOnce.
func warmFixtureVet(t *testing.T) {
	t.Helper()
	if err := fixtureVetOnce(); err != nil {
		t.Fatal(err)
	}
}

// buildTestraces returns the command, built once for the tests of the
// package (without -race: the tests run it as users do).
func buildTestraces(t *testing.T) string {
	t.Helper()
	bin, err := testracesOnce()
	if err != nil {
		t.Fatalf("building testraces: %v", err)
	}
	return bin
}

// build runs a command that builds something, stopped when the tests end.
func build(dir string, env []string, name string, args ...string) (string, error) {
	out, code, err := run(prefetchCtx, dir, env, name, args...)
	if err == nil && code != 0 {
		err = fmt.Errorf("%s: exit status %d", name, code)
	}
	return out, err
}

// installAtomically moves the file built at tmp to bin, where another test
// process (another checkout's, or -count) may look for it at the same
// time: it never sees a file half written.
func installAtomically(tmp, bin string) error {
	if err := os.Rename(tmp, bin); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}
