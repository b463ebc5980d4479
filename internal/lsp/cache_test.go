package lsp

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces"
)

// TestIncremental edits the fixture the ways an editor does and checks
// each run against a full one: edits of the package's own files re-check
// only the package, and give what a fresh load gives; an edit of its
// imports loads everything again.
func TestIncremental(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "fixture.go", "racy_test.go", "clean_test.go"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/fixture", f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, f), string(data))
	}
	analyzers := guarded(testraces.Analyzers())
	racy := filepath.Join(dir, "racy_test.go")

	res := checkRun(t, dir, nil, analyzers, nil, "full load (first run)", 5)

	// The deferparallel fix, saved: its finding goes.
	edit(t, racy, "\tdefer ts.Close()\n", "\tt.Cleanup(ts.Close)\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// White space, saved, in another file of the package.
	edit(t, filepath.Join(dir, "fixture.go"), "package fixture\n", "package fixture\n\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// An unsaved edit (an overlay) that adds a finding. checker's
	// Pass.ReadFile reads the disk, not the overlay, so the analyzers
	// offer no fix built from the text: the findings are all there.
	text := readText(t, racy) + "\nfunc TestMore(t *testing.T) {\n\tgo func() { t.FailNow() }()\n}\n"
	overlay := map[string][]byte{racy: []byte(text)}
	res = checkRun(t, dir, overlay, analyzers, res, "incremental", 5)

	// The document closed: the file on disk again.
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// The serverready fix adds an import: everything is loaded again.
	edit(t, racy, "\t\"net/http\"\n", "\t\"net\"\n\t\"net/http\"\n")
	edit(t, racy, "\tgo srv.ListenAndServe()\n", "\tln, err := net.Listen(\"tcp\", srv.Addr)\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tgo srv.Serve(ln)\n")
	res = checkRun(t, dir, nil, analyzers, res, "full load (the imports or build constraints of "+racy+" changed)", 3)

	// And the run after that reuses the new load.
	edit(t, racy, "\tt.Fatal(\"boom\")\n", "\tt.Error(\"boom\")\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 2)

	// Code that does not compile: a full load, which reports nothing.
	edit(t, racy, "func TestFailNow(", "var _ int = \"\"\n\nfunc TestFailNow(")
	res = checkRun(t, dir, nil, analyzers, res, "full load (fixture [fixture.test] does not type-check", 0)
	edit(t, racy, "var _ int = \"\"\n\nfunc TestFailNow(", "func TestFailNow(")
	checkRun(t, dir, nil, analyzers, res, "full load (the last run had errors)", 2)
}

// TestIncrementalDependency checks that a finding that needs a
// dependency's facts survives an incremental run, and that a change to
// the dependency loads everything again.
func TestIncrementalDependency(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module m\n\ngo 1.26.0\n")
	if err := os.Mkdir(filepath.Join(mod, "help"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(mod, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	helper := filepath.Join(mod, "help", "help.go")
	write(t, helper, "package help\n\nimport \"testing\"\n\n// Check stops the test.\nfunc Check(t *testing.T) { t.Helper(); t.FailNow() }\n")
	dir := filepath.Join(mod, "p")
	write(t, filepath.Join(dir, "p.go"), "package p\n")
	test := filepath.Join(dir, "p_test.go")
	write(t, test, "package p_test\n\nimport (\n\t\"sync\"\n\t\"testing\"\n\n\t\"m/help\"\n)\n\nfunc TestHelp(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { help.Check(t) })\n\twg.Wait()\n}\n")
	analyzers := guarded(testraces.Analyzers())

	res := checkRun(t, dir, nil, analyzers, nil, "full load (first run)", 1)
	edit(t, test, "func TestHelp(", "// TestHelp calls a helper.\nfunc TestHelp(")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 1)

	// The helper no longer stops the test: the facts are computed again.
	edit(t, helper, "t.FailNow()", "t.Fail()")
	res = checkRun(t, dir, nil, analyzers, res, "full load ("+helper+" changed)", 0)
	edit(t, test, "// TestHelp calls a helper.\n", "")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)

	// The helper imports the package under test: it would need checking
	// again with the package, so nothing is kept.
	edit(t, helper, "import \"testing\"\n", "import (\n\t\"testing\"\n\n\t_ \"m/p\"\n)\n")
	res = checkRun(t, dir, nil, analyzers, res, "full load ("+helper+" changed)", 0)
	edit(t, test, "func TestHelp(", "// TestHelp calls a helper.\nfunc TestHelp(")
	res = checkRun(t, dir, nil, analyzers, res, "full load (m/help imports the package)", 0)
	// With a test of its own the package is compiled again for its
	// tests, the helper too.
	write(t, filepath.Join(dir, "in_test.go"), "package p\n")
	res = checkRun(t, dir, nil, analyzers, res, "full load (m/help imports the package)", 0)
	checkRun(t, dir, nil, analyzers, res, "full load (m/help [m/p.test] imports the package)", 0)
}

// checkRun analyses dir after prev, checks how it went and that it found
// what a full load finds, and returns the result.
func checkRun(t *testing.T, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer, prev *result, how string, findings int) *result {
	t.Helper()
	start := time.Now()
	res, err := analyze(context.Background(), dir, overlay, analyzers, prev)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s in %v", res.how, time.Since(start))
	if len(res.errors) > 0 {
		t.Logf("errors: %v", res.errors)
	}
	if !strings.HasPrefix(res.how, how) {
		t.Errorf("the run was %q, want %q", res.how, how)
	}
	n := 0
	for _, fs := range res.findings {
		n += len(fs)
	}
	if findings >= 0 && n != findings {
		t.Errorf("%d findings, want %d", n, findings)
	}
	full, err := load(context.Background(), dir, overlay, analyzers)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"files", res.files, full.files},
		{"findings", dump(res.findings), dump(full.findings)},
		{"broken files", res.broken, full.broken},
		{"errors", res.errors, full.errors},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %+v, a full load gives %+v", c.what, c.got, c.want)
		}
	}
	if cache := goCache(); cache != "" {
		for path := range res.stamp.files {
			if strings.HasPrefix(path, cache+string(filepath.Separator)) {
				t.Errorf("the stamp has %s, in the build cache, which the go command changes as it likes", path)
			}
		}
	}
	if (res.graph == nil) != (full.graph == nil) {
		t.Errorf("kept graph: %v, a full load: %v", res.graph != nil, full.graph != nil)
	}
	return res
}

// edit replaces old with new in file, and moves its time on, as the
// stamp goes by size and time.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	text := readText(t, file)
	if !strings.Contains(text, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	write(t, file, strings.Replace(text, old, new, 1))
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	later := fi.ModTime().Add(time.Second)
	if err := os.Chtimes(file, later, later); err != nil {
		t.Fatal(err)
	}
}

func readText(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// dump returns the findings by file in an order of their own: a run's
// order, and that of a fix's edits, is not always the same (two full
// loads can differ in it), and editors do not depend on it.
func dump(findings map[string][]*finding) map[string][]string {
	out := map[string][]string{}
	for f, fs := range findings {
		for _, fd := range fs {
			d := fd.diag
			href := ""
			if d.CodeDescription != nil {
				href = d.CodeDescription.Href
			}
			s := fmt.Sprintf("%v %s %s %s %s %+v", d.Range, d.Code, href, d.Source, d.Message, d.RelatedInformation)
			for _, qf := range fd.fixes {
				s += "\n\tfix " + qf.title
				for _, file := range slices.Sorted(maps.Keys(qf.edits)) {
					edits := slices.Clone(qf.edits[file])
					slices.SortFunc(edits, func(a, b TextEdit) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
					s += fmt.Sprintf("\n\t\t%s %+v", file, edits)
				}
			}
			out[f] = append(out[f], s)
		}
		slices.Sort(out[f])
	}
	return out
}

var goCache = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})
