package testraces_test

// Tests that run the real tools users run testraces with: go vet with
// -vettool, and golangci-lint built with the module plugin. They build
// binaries and, the first time, download golangci-lint's modules, so they
// are skipped under -short; .ci/run runs them.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fixtureFindings are the findings testraces has in testdata/fixture, by
// position and the start of the message.
var fixtureFindings = []string{
	"racy_test.go:11:2: ln.Close is deferred",
	"racy_test.go:21:3: t.Fatal is called on a goroutine started by wg.Go",
	"racy_test.go:28:2: request may run before the server started at line 27 listens",
	"racy_test.go:42:12: ctx is cancelled before the cleanup runs",
}

// unfixedFinding is the message of the one finding in testdata/fixture
// without a fix: the server is the fixture's own, not an http.Server that
// could be given a listener (testdata/httpfix has that one). The fixes
// above it add lines, so only the message is compared after them.
const unfixedFinding = "request may run before the server started at line "

// silencedFinding is the finding that //nolint:testraces silences in
// golangci-lint, and that go vet, which does not read //nolint, reports.
const silencedFinding = "racy_test.go:34:3: t.Fatal is called on a goroutine started by wg.Go"

func skipShort(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("skipped under -short: %s", what)
	}
}

func TestGoVet(t *testing.T) {
	skipShort(t, "builds testraces and runs go vet -vettool on testdata/fixture")
	t.Parallel()
	bin := buildTestraces(t)
	warmFixtureVet(t)

	dir := copyFixture(t)
	out, code := runIn(t, dir, "go", "vet", "-vettool="+bin, "./...")
	if code != 1 {
		t.Errorf("go vet -vettool exit status = %d, want 1\n%s", code, out)
	}
	checkFindings(t, "go vet", vetFindings(out), append(slices.Clone(fixtureFindings), silencedFinding))

	// -fix leaves a module that builds, passes go vet, and has only the
	// finding without a fix left.
	if out, code := runIn(t, dir, "go", "vet", "-vettool="+bin, "-fix", "./..."); code != 0 {
		t.Fatalf("go vet -vettool -fix exit status = %d\n%s", code, out)
	}
	if out, code := runIn(t, dir, "go", "vet", "./..."); code != 0 {
		t.Errorf("go vet on the fixed module: exit status %d\n%s", code, out)
	}
	out, _ = runIn(t, dir, "go", "vet", "-vettool="+bin, "./...")
	checkUnfixed(t, "go vet -vettool on the fixed module", vetFindings(out))

	// go fix -fixtool applies the same fixes.
	dir = copyFixture(t)
	if out, code := runIn(t, dir, "go", "fix", "-fixtool="+bin, "./..."); code != 0 {
		t.Fatalf("go fix -fixtool exit status = %d\n%s", code, out)
	}
	out, _ = runIn(t, dir, "go", "vet", "-vettool="+bin, "./...")
	checkUnfixed(t, "go vet -vettool after go fix -fixtool", vetFindings(out))
}

// vetFixtureFindings are the findings of go vet -vettool=testraces in
// testdata/vetfixture: go vet's own (printf, copylocks) and one of each
// testraces analyzer. testinggoroutine, which plain go vet runs, is left
// out for failnow.
var vetFixtureFindings = []string{
	`vet_test.go:23:14: count passes lock by value`,
	`vet_test.go:26:14: fmt.Printf format %d has arg "one" of wrong type string`,
	"vet_test.go:35:2: ln.Close is deferred",
	"vet_test.go:47:3: t.Fatal is called on a goroutine started at line 45",
	"vet_test.go:54:14: the test listens on the fixed port 18082",
	"vet_test.go:60:2: request may run before the server started at line 53 listens",
	"vet_test.go:66:8: ctx is cancelled before the cleanup runs",
}

// TestGoVetSuperset checks that testraces as a vet tool reports what go
// vet reports and testraces' findings, each once, and that each analyzer,
// go vet's included, stays switchable by its flag.
func TestGoVetSuperset(t *testing.T) {
	skipShort(t, "builds testraces and runs go vet on testdata/vetfixture")
	t.Parallel()
	bin := buildTestraces(t)
	warmFixtureVet(t)
	dir := copyDir(t, "testdata/vetfixture")

	out, code := runIn(t, dir, "go", "vet", "-vettool="+bin, "./...")
	if code != 1 {
		t.Errorf("go vet -vettool exit status = %d, want 1\n%s", code, out)
	}
	got := vetFindings(out)
	checkFindings(t, "go vet -vettool", got, vetFixtureFindings)

	// Everything plain go vet reports is there, but testinggoroutine's.
	plain, _ := runIn(t, dir, "go", "vet", "./...")
	for _, f := range vetFindings(plain) {
		if strings.Contains(f, "from a non-test goroutine") {
			continue
		}
		if !slices.Contains(got, f) {
			t.Errorf("go vet reports %q, go vet -vettool=testraces does not", f)
		}
	}

	out, _ = runIn(t, dir, "go", "vet", "-vettool="+bin, "-printf=false", "-deferparallel=false", "./...")
	checkFindings(t, "go vet -vettool -printf=false -deferparallel=false", vetFindings(out), []string{
		vetFixtureFindings[0], vetFixtureFindings[3], vetFixtureFindings[4], vetFixtureFindings[5], vetFixtureFindings[6],
	})
}

// TestStandaloneVet checks that the standalone command runs go vet's suite
// only with -vet, and names files relative to the working directory.
func TestStandaloneVet(t *testing.T) {
	skipShort(t, "builds testraces and runs it on testdata/vetfixture")
	t.Parallel()
	bin := buildTestraces(t)
	dir := copyDir(t, "testdata/vetfixture")

	out, code := runIn(t, dir, bin, "./...")
	if code != 3 {
		t.Errorf("testraces exit status = %d, want 3\n%s", code, out)
	}
	checkFindings(t, "testraces", standaloneFindings(t, out), vetFixtureFindings[2:])

	out, code = runIn(t, dir, bin, "-vet", "./...")
	if code != 3 {
		t.Errorf("testraces -vet exit status = %d, want 3\n%s", code, out)
	}
	checkFindings(t, "testraces -vet", standaloneFindings(t, out), vetFixtureFindings)
}

// TestStandaloneFix checks the standalone command's -fix on
// testdata/httpfix, whose fixes rewrite net/http code (the other ways in
// apply the fixes of testdata/fixture): with -diff it prints the fixes and
// changes nothing; without, it applies them, and the module then
// type-checks and has nothing left to find. The command, not go vet,
// checks the fixed module: it type-checks from source, where go vet would
// compile net/http and its dependencies for this test alone.
func TestStandaloneFix(t *testing.T) {
	skipShort(t, "builds testraces and runs it on testdata/httpfix")
	t.Parallel()
	bin := buildTestraces(t)
	dir := copyDir(t, "testdata/httpfix")
	file := filepath.Join(dir, "httpfix_test.go")
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	out, code := runIn(t, dir, bin, "-fix", "-diff", "./...")
	for _, want := range []string{"+\tt.Cleanup(ts.Close)", "-\tdefer ts.Close()", "+\tgo srv.Serve(ln)", "-\tgo srv.ListenAndServe()", "+\t\"net\""} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("testraces -fix -diff: exit status %d, want 0 and the fixes as a diff with %q\n%s", code, want, out)
		}
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(after, before) {
		t.Errorf("testraces -fix -diff changed httpfix_test.go")
	}

	if out, code := runIn(t, dir, bin, "-fix", "./..."); code != 0 {
		t.Fatalf("testraces -fix: exit status %d\n%s", code, out)
	}
	if out, code := runIn(t, dir, bin, "./..."); code != 0 || out != "" {
		t.Errorf("testraces on the fixed module: exit status %d, want 0 and no output (no finding, no type error)\n%s", code, out)
	}
}

// TestStandaloneJSON checks that -json prints x/tools' JSON, with absolute
// file names, and exits 0 as multichecker does, findings or not.
func TestStandaloneJSON(t *testing.T) {
	skipShort(t, "builds testraces and runs it on testdata/fixture")
	bin := buildTestraces(t)
	dir := copyFixture(t)
	cmd := exec.Command(bin, "-json", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("testraces -json: %v", err)
	}
	// package ID -> analyzer -> diagnostics (or an error)
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout, &tree); err != nil {
		t.Fatalf("reading the JSON: %v\n%s", err, stdout)
	}
	var got []string
	for id, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var diags []struct{ Posn, Message string }
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Errorf("%s, %s: not a list of diagnostics: %s", id, name, raw)
			}
			for _, d := range diags {
				if !strings.HasPrefix(d.Posn, dir+string(filepath.Separator)) {
					t.Errorf("file name not absolute: %s", d.Posn)
				}
				got = append(got, filepath.Base(d.Posn)+": "+d.Message)
			}
		}
	}
	checkFindings(t, "testraces -json", got, append(slices.Clone(fixtureFindings), silencedFinding))
}

// TestStandaloneHelp checks `testraces help NAME` and that -help lists the
// command's flags, -vet among them.
func TestStandaloneHelp(t *testing.T) {
	skipShort(t, "builds testraces")
	bin := buildTestraces(t)
	out, code := runIn(t, ".", bin, "help", "deferparallel")
	if code != 0 || !strings.HasPrefix(out, "deferparallel: ") || !strings.Contains(out, "golang/go#17791") {
		t.Errorf("testraces help deferparallel: exit status %d, want 0 and the analyzer's documentation\n%s", code, out)
	}
	out, code = runIn(t, ".", bin, "-help")
	for _, flag := range []string{"-fix", "-diff", "-json", "-test", "-vet", "-failnow"} {
		if code != 0 || !strings.Contains(out, "\n  "+flag+"\n") {
			t.Errorf("testraces -help: exit status %d, want 0 and a list of flags with %s\n%s", code, flag, out)
		}
	}
}

// standaloneFindings returns the findings of the standalone command's
// text output, checking that each names its file relative to the working
// directory.
func standaloneFindings(t *testing.T, out string) []string {
	t.Helper()
	var findings []string
	for _, line := range strings.Split(out, "\n") {
		if line == "" || strings.HasPrefix(line, "\t") || !strings.Contains(line, ".go:") {
			continue
		}
		if !strings.HasPrefix(line, "vet_test.go:") {
			t.Errorf("finding not relative to the working directory: %s", line)
		}
		if !strings.Contains(line, ": \t") { // not a related position
			findings = append(findings, line)
		}
	}
	return findings
}

func TestGolangciLint(t *testing.T) {
	skipShort(t, "builds golangci-lint with the testraces plugin from the module proxy (minutes the first time)")
	t.Parallel()
	bin := customGolangci(t)
	warmFixtureVet(t)
	config, err := os.ReadFile(".golangci.example.yml")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("findings", func(t *testing.T) {
		t.Parallel()
		dir := copyFixture(t)
		writeFile(t, filepath.Join(dir, ".golangci.yml"), config)
		out, code := runGolangci(t, dir, bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
		if code != 1 {
			t.Errorf("exit status = %d, want 1\n%s", code, out)
		}
		var got []string
		for _, issue := range golangciIssues(t, out) {
			if issue.FromLinter != "testraces" {
				t.Errorf("issue from %q, want testraces: %s", issue.FromLinter, issue.Text)
			}
			// golangci-lint prefixes the analyzer's name; the related
			// position is folded into the message.
			_, msg, _ := strings.Cut(issue.Text, ": ")
			got = append(got, filepath.Base(issue.Pos.Filename)+":"+strconv.Itoa(issue.Pos.Line)+":"+strconv.Itoa(issue.Pos.Column)+": "+msg)
			if !regexp.MustCompile(` at racy_test\.go:\d+\)$`).MatchString(issue.Text) {
				t.Errorf("related position not folded into the message: %s", issue.Text)
			}
		}
		checkFindings(t, "golangci-lint", got, fixtureFindings)
	})

	// Four findings with one text, in one handler: golangci-lint would
	// show three without the example's issues settings.
	t.Run("no finding hidden", func(t *testing.T) {
		dir := copyDir(t, "testdata/samefindings")
		cmdOut, _ := runIn(t, dir, buildTestraces(t), "./...")
		want := vetFindings(cmdOut)
		if len(want) != 4 {
			t.Fatalf("testraces: %d findings, want the fixture's 4\n%s", len(want), cmdOut)
		}
		writeFile(t, filepath.Join(dir, ".golangci.yml"), config)
		out, _ := runIn(t, dir, bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
		if got := golangciIssues(t, out); len(got) != len(want) {
			t.Errorf("golangci-lint: %d issues, the command %d findings\n%s", len(got), len(want), out)
		}

		defaults, _, ok := strings.Cut(string(config), "\nissues:\n")
		if !ok {
			t.Fatal("the example configuration has no issues settings")
		}
		writeFile(t, filepath.Join(dir, ".golangci.yml"), []byte(defaults))
		out, _ = runIn(t, dir, bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
		if got := golangciIssues(t, out); len(got) != 3 {
			t.Errorf("golangci-lint with its default limits: %d issues, want 3 (the fixture no longer tests the limit?)\n%s", len(got), out)
		}
	})

	t.Run("fix", func(t *testing.T) {
		t.Parallel()
		dir := copyFixture(t)
		writeFile(t, filepath.Join(dir, ".golangci.yml"), config)
		if out, code := runGolangci(t, dir, bin, "run", "--fix", "./..."); code != 1 {
			t.Errorf("golangci-lint run --fix: exit status %d, want 1 (every finding fixed but one)\n%s", code, out)
		}
		if out, code := runIn(t, dir, "go", "vet", "./..."); code != 0 {
			t.Errorf("go vet on the fixed module: exit status %d\n%s", code, out)
		}
		out, _ := runGolangci(t, dir, bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
		var left []string
		for _, issue := range golangciIssues(t, out) {
			left = append(left, issue.Text)
		}
		checkUnfixed(t, "golangci-lint on the fixed module", left)
	})

	t.Run("bad setting", func(t *testing.T) {
		t.Parallel()
		dir := copyFixture(t)
		bad := strings.Replace(string(config), "failnow:\n            enabled: true", "failnow:\n            enable: true", 1)
		if bad == string(config) {
			t.Fatal("the example configuration no longer has failnow's enabled setting")
		}
		writeFile(t, filepath.Join(dir, ".golangci.yml"), []byte(bad))
		out, code := runGolangci(t, dir, bin, "run", "./...")
		if code == 0 || code == 1 || !strings.Contains(out, `testraces: invalid settings`) || !strings.Contains(out, `unknown field "enable"`) {
			t.Errorf("a bad setting: exit status %d, want a failure naming the setting\n%s", code, out)
		}
	})
}

// golangciIssue is an issue in golangci-lint's JSON output.
type golangciIssue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
}

// golangciIssues reads the issues of golangci-lint's JSON output, which
// follows what the run logs.
func golangciIssues(t *testing.T, out string) []golangciIssue {
	t.Helper()
	var report struct{ Issues []golangciIssue }
	start := strings.Index(out, "{")
	if start < 0 {
		t.Fatalf("no JSON in golangci-lint's output:\n%s", out)
	}
	if err := json.NewDecoder(strings.NewReader(out[start:])).Decode(&report); err != nil {
		t.Fatalf("reading golangci-lint's JSON: %v\n%s", err, out)
	}
	return report.Issues
}

// customGolangci returns golangci-lint built with this checkout's plugin by
// scripts/build-custom-gcl.sh, the README's recipe, once for the tests of
// the package, reusing the binary built for the same sources before.
func customGolangci(t *testing.T) string {
	t.Helper()
	bin, err := customGolangciOnce()
	if err != nil {
		t.Fatalf("building golangci-lint with the plugin: %v", err)
	}
	return bin
}

var customGolangciOnce = sync.OnceValues(func() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	hash, err := sourceHash()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "testraces", "custom-gcl-"+hash, "custom-gcl")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid())
	if out, err := build(".", nil, "bash", "scripts/build-custom-gcl.sh", tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return bin, installAtomically(tmp, bin)
})

// sourceHash hashes what the custom golangci-lint is built from: the
// files of the module's packages that the plugin imports, at any depth,
// and the files that say how it is built. Not the tests, nor the helpers
// only tests import (internal/badcode, internal/wantcheck), which go into
// no binary: editing one does not build golangci-lint again.
func sourceHash() (string, error) {
	out, code, err := run(prefetchCtx, ".", nil, "go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", ".")
	if err != nil || code != 0 {
		return "", fmt.Errorf("go list -deps: exit status %d, %v\n%s", code, err, out)
	}
	root, err := os.Getwd()
	if err != nil {
		return "", err
	}
	files := []string{"go.mod", "go.sum", ".custom-gcl.example.yml", "scripts/build-custom-gcl.sh"}
	for _, dir := range strings.Fields(out) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if name := e.Name(); !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
				rel, err := filepath.Rel(root, filepath.Join(dir, name))
				if err != nil {
					return "", err
				}
				files = append(files, rel)
			}
		}
	}
	slices.Sort(files)
	h := sha256.New()
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		h.Write([]byte(path))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// copyFixture copies testdata/fixture to a temporary directory.
func copyFixture(t *testing.T) string {
	t.Helper()
	return copyDir(t, "testdata/fixture")
}

// copyDir copies the directory src to a temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		writeFile(t, filepath.Join(dir, rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runIn runs a command in dir and returns its output and exit status.
func runIn(t *testing.T, dir, name string, args ...string) (string, int) {
	t.Helper()
	out, code, err := run(context.Background(), dir, nil, name, args...)
	if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return out, code
}

// runGolangci runs golangci-lint in dir. It locks a file in the temporary
// directory, and gives up after five seconds if another run holds the
// lock: each test's runs get a temporary directory of their own, so that
// the tests (and other checkouts' tests) can run at once.
func runGolangci(t *testing.T, dir, bin string, args ...string) (string, int) {
	t.Helper()
	out, code, err := run(context.Background(), dir, []string{"TMPDIR=" + t.TempDir()}, bin, args...)
	if err != nil {
		t.Fatalf("running golangci-lint: %v", err)
	}
	return out, code
}

// run runs a command in dir, with env added to the environment, and
// returns its output and exit status; the error is for a command that did
// not run.
func run(ctx context.Context, dir string, env []string, name string, args ...string) (string, int, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off", "GOFLAGS="), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0, nil
	case errors.As(err, &exit) && ctx.Err() == nil:
		return out.String(), exit.ExitCode(), nil
	}
	return out.String(), -1, err
}

var findingLine = regexp.MustCompile(`^(?:\S*/)?([^/\s]+\.go:\d+:\d+: )(.*)$`)

// vetFindings returns go vet's findings, without their related lines
// (which start with a tab), as "file.go:line:col: message".
func vetFindings(out string) []string {
	var findings []string
	for _, line := range strings.Split(out, "\n") {
		if m := findingLine.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[2], "\t") {
			findings = append(findings, m[1]+m[2])
		}
	}
	return findings
}

// checkUnfixed checks that the findings left after applying every fix are
// the one without a fix.
func checkUnfixed(t *testing.T, tool string, got []string) {
	t.Helper()
	if len(got) != 1 || !strings.Contains(got[0], unfixedFinding) {
		t.Errorf("%s: %d findings, want only the one without a fix (%s):\n%s", tool, len(got), unfixedFinding, strings.Join(got, "\n"))
	}
}

// checkFindings checks that got has exactly one finding starting with
// each of want, and nothing else.
func checkFindings(t *testing.T, tool string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d findings, want %d:\n%s", tool, len(got), len(want), strings.Join(got, "\n"))
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("%s: no finding %q in:\n%s", tool, w, strings.Join(got, "\n"))
		}
	}
}
