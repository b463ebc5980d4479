package testraces_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// go127Toolchain is the newer Go the tests run testraces with: the
// project stays on Go 1.26, as its users are, and the go command fetches
// this toolchain from the module proxy (.ci/run fetches it first).
const go127Toolchain = "go1.27.3"

// go127Findings are the findings testraces, built with Go 1.27, has in
// testdata/go127: the misuses of httptest.NewTestServer, and a helper
// that returns before its server listens after it used an httptest
// server's StartTLS (found only while httptest, which imports testing
// from Go 1.27 on, is known from the tables rather than read).
var go127Findings = []string{
	"helper_test.go:27:2: request may run before the server that startWithTestCert started at line 26 listens",
	"testserver_test.go:13:7: srv.URL is the empty string here",
	"testserver_test.go:25:15: http.Get sends the request with http.DefaultClient, which cannot reach srv",
}

// TestGo127 runs testraces on a module whose go line is 1.27: built and
// run with Go 1.27, it reports what Go 1.27's httptest.NewTestServer is
// misused for, on the real standard library; built with this Go (1.26),
// the command and the vet tool say in one line that the module needs a
// newer Go and how to install testraces with it. It is skipped when the
// toolchain cannot be fetched.
func TestGo127(t *testing.T) {
	skipShort(t, "builds testraces with Go 1.27, which the go command may have to fetch")
	t.Parallel()
	bin := buildTestraces127(t)
	env := []string{"GOTOOLCHAIN=" + go127Toolchain}

	t.Run("built with 1.27", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, "testdata/go127")
		out, code := runEnv(t, dir, env, bin, "./...")
		if code != 3 {
			t.Errorf("testraces exit status = %d, want 3\n%s", code, out)
		}
		checkFindings(t, "testraces", vetFindings(out), go127Findings)
	})

	old := buildTestraces(t)
	install := "go install github.com/testraces/testraces/cmd/testraces@latest"
	t.Run("built with 1.26, go command 1.26", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, "testdata/go127")
		out, code := runEnv(t, dir, []string{"GOTOOLCHAIN=local"}, old, "./...")
		checkVersionLine(t, out, code, "testraces: this code needs Go 1.27", "testraces was built with "+runtime.Version(), "GOTOOLCHAIN=go1.27.0 "+install, "run it with GOTOOLCHAIN=go1.27.0 set")
	})
	t.Run("built with 1.26, go command 1.27", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, "testdata/go127")
		out, code := runEnv(t, dir, env, old, "./...")
		checkVersionLine(t, out, code, "testraces: this code needs Go 1.27", "testraces was built with "+runtime.Version(), "GOTOOLCHAIN="+go127Toolchain+" "+install)
	})
	t.Run("vet tool built with 1.26", func(t *testing.T) {
		t.Parallel()
		// go vet compiles what the packages import with the toolchain
		// it runs, Go 1.27 here: testdata/go127vet imports only its own
		// dep, whose facts the vet tool is run for first (and marks), so
		// that none of the standard library is compiled again for it.
		dir := copyDir(t, "testdata/go127vet")
		out, code := runEnv(t, dir, env, "go", "vet", "-vettool="+old, ".")
		// go vet heads the output of each package it vets ("# go127").
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(l, "# ") {
				lines = append(lines, l)
			}
		}
		checkVersionLine(t, strings.Join(lines, "\n")+"\n", code, "testraces: this code needs Go 1.27", "GOTOOLCHAIN="+go127Toolchain+" "+install)
	})
	t.Run("language server built with 1.26", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, "testdata/go127")
		msg := showMessageOf(t, old, dir, append(env, "GOWORK=off", "GOFLAGS="), "testserver_test.go")
		checkVersionLine(t, msg+"\n", 1, "testraces: this code needs Go 1.27", "testraces was built with "+runtime.Version(), "GOTOOLCHAIN="+go127Toolchain+" "+install)
	})
}

// showMessageOf runs bin as a language server in dir with env, opens file,
// and returns the message of the first window/showMessage it sends.
func showMessageOf(t *testing.T, bin, dir string, env []string, file string) string {
	t.Helper()
	cmd := exec.CommandContext(prefetchCtx, bin, "lsp")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	c, stop := startLSPProcess(t, cmd, 10*time.Second)
	t.Cleanup(stop)
	c.send(t, 1, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": fileURI(dir), "capabilities": map[string]any{}})
	c.send(t, 0, "initialized", map[string]any{})
	path := filepath.Join(dir, file)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(path), "languageId": "go", "version": 1, "text": string(text)},
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		m, err := c.read(deadline)
		if err != nil {
			t.Fatalf("no window/showMessage: %v", err)
		}
		if m.Method != "window/showMessage" {
			continue
		}
		var p struct{ Message string }
		if err := json.Unmarshal(m.Params, &p); err != nil {
			t.Fatal(err)
		}
		c.send(t, 2, "shutdown", nil)
		c.send(t, 0, "exit", nil)
		return p.Message
	}
}

// checkVersionLine checks that out is one line that says each of want,
// and that the command failed.
func checkVersionLine(t *testing.T, out string, code int, want ...string) {
	t.Helper()
	if code != 1 {
		t.Errorf("exit status %d, want 1\n%s", code, out)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("not one line:\n%s", out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("the line does not say %q:\n%s", w, out)
		}
	}
}

// runEnv runs a command in dir with env added to the environment, and
// returns its output and exit status.
func runEnv(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	out, code, err := run(prefetchCtx, dir, env, name, args...)
	if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return out, code
}

// testraces127Once builds the command with Go 1.27 once for the tests of
// the package; errSkip127 when the toolchain cannot be had.
var testraces127Once = sync.OnceValues(func() (string, error) {
	env := []string{"GOTOOLCHAIN=" + go127Toolchain}
	if out, code, err := run(prefetchCtx, testDir, env, "go", "version"); err != nil || code != 0 || !strings.Contains(out, go127Toolchain) {
		return "", fmt.Errorf("%w: %s", errSkip127, strings.TrimSpace(out))
	}
	bin := filepath.Join(testDir, "bin", "testraces-"+go127Toolchain)
	// Without optimisation, debug information or cgo: what this checks,
	// that Go 1.27 builds the command and that it reads Go 1.27 code,
	// does not depend on them, and compiling the standard library again
	// for one small run took a fifth longer with optimisation (79 CPU-s
	// instead of 62 here) and 7 % longer with the other two.
	env127 := append(env, "CGO_ENABLED=0")
	if out, err := build(".", env127, "go", "build", "-gcflags=all=-N -l -dwarf=false", "-ldflags=-s -w", "-o", bin, "./cmd/testraces"); err != nil {
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return bin, nil
})

var errSkip127 = errors.New("the go command cannot fetch " + go127Toolchain)

// buildTestraces127 returns the command built with Go 1.27, and skips the
// test when that toolchain cannot be fetched.
func buildTestraces127(t *testing.T) string {
	t.Helper()
	bin, err := testraces127Once()
	if err != nil {
		if errors.Is(err, errSkip127) {
			t.Skip(err)
		}
		t.Fatalf("building testraces with %s: %v", go127Toolchain, err)
	}
	return bin
}
