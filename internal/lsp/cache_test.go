package lsp

import (
	"cmp"
	"context"
	"fmt"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

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
	checkChecker(t, dir, analyzers, res)

	// The deferparallel fix, saved: its finding goes.
	edit(t, racy, "\tdefer ln.Close()\n", "\tt.Cleanup(func() { ln.Close() })\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// White space, saved, in another file of the package.
	edit(t, filepath.Join(dir, "fixture.go"), "package fixture\n", "package fixture\n\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// An unsaved edit (an overlay) that adds two findings (failnow's, and
	// aftertest's: nothing waits for the goroutine): the analyzers read
	// the overlay, the text that was parsed, for their fixes.
	text := readText(t, racy) + "\nfunc TestMore(t *testing.T) {\n\tgo func() { t.FailNow() }()\n}\n"
	overlay := map[string][]byte{racy: []byte(text)}
	res = checkRun(t, dir, overlay, analyzers, res, "incremental", 6)

	// The document closed: the file on disk again.
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 4)

	// The cleanupctx fix adds an import: everything is loaded again.
	edit(t, racy, "\t\"net\"\n", "\t\"context\"\n\t\"net\"\n")
	edit(t, racy, "_ = Drop(ctx)", "_ = Drop(context.WithoutCancel(ctx))")
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
// dependency's facts survives an incremental run, and that a change to a
// dependency of the workspace checks it again with what imports it.
func TestIncrementalDependency(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module m\n\ngo 1.26.0\n")
	mkdir(t, filepath.Join(mod, "help"))
	mkdir(t, filepath.Join(mod, "p"))
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
	checkChecked(t, res, "m/p_test [m/p.test]")

	// The helper no longer stops the test: its facts are computed again,
	// and the test's findings.
	edit(t, helper, "t.FailNow()", "t.Fail()")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)
	checkChecked(t, res, "m/help", "m/p_test [m/p.test]")
	edit(t, test, "// TestHelp calls a helper.\n", "")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)

	// The helper imports the package under test: the import graph
	// changed, so everything is loaded again; after that the helper is
	// checked again with the package.
	edit(t, helper, "import \"testing\"\n", "import (\n\t\"testing\"\n\n\t_ \"m/p\"\n)\n")
	res = checkRun(t, dir, nil, analyzers, res, "full load (the imports or build constraints of "+helper+" changed)", 0)
	edit(t, filepath.Join(dir, "p.go"), "package p\n", "// Package p is tested.\npackage p\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)
	checkChecked(t, res, "m/p", "m/help", "m/p_test [m/p.test]")
	// With a test of its own the package is compiled again for its
	// tests, the helper too: a file added is a new graph.
	write(t, filepath.Join(dir, "in_test.go"), "package p\n")
	res = checkRun(t, dir, nil, analyzers, res, "full load (files added to or removed from "+dir+")", 0)
	edit(t, filepath.Join(dir, "in_test.go"), "package p\n", "package p\n\n// In is in.\nconst In = 1\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)
	checkChecked(t, res, "m/p [m/p.test]", "m/help [m/p.test]", "m/p_test [m/p.test]")
}

// TestFullLoadReuse checks what a full load takes from the last graph:
// after an import added, the packages outside the workspace that did not
// change (the standard library here) are not checked again and the
// findings are a fresh load's; a dependency outside the workspace whose
// file changed (a module replaced by a directory) is checked again, with
// what imports it, so that its new facts count.
func TestFullLoadReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	root := t.TempDir()
	dep := filepath.Join(root, "dep")
	mod := filepath.Join(root, "m")
	mkdir(t, dep)
	mkdir(t, mod)
	write(t, filepath.Join(dep, "go.mod"), "module dep\n\ngo 1.26.0\n")
	helper := filepath.Join(dep, "dep.go")
	write(t, helper, "package dep\n\nimport \"testing\"\n\n// Check stops the test.\nfunc Check(t *testing.T) { t.Helper(); t.FailNow() }\n")
	write(t, filepath.Join(mod, "go.mod"), "module m\n\ngo 1.26.0\n\nrequire dep v0.0.0\n\nreplace dep => ../dep\n")
	write(t, filepath.Join(mod, "m.go"), "package m\n")
	test := filepath.Join(mod, "m_test.go")
	write(t, test, "package m\n\nimport (\n\t\"sync\"\n\t\"testing\"\n\n\t\"dep\"\n)\n\nfunc TestHelp(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { dep.Check(t) })\n\twg.Wait()\n}\n")
	analyzers := guarded(testraces.Analyzers())

	// The first load may take the standard library from another test's
	// graph (lastGraph), not dep, which no other test loads.
	res := checkRun(t, mod, nil, analyzers, nil, "full load (first run)", 1)
	// An import added (of packages the last load did not have, such as
	// encoding/json, importing some it had): a full load, which takes
	// the standard library it had, and dep, from the last graph.
	edit(t, test, "\t\"sync\"\n", "\t\"encoding/json\"\n\t\"sync\"\n")
	edit(t, test, "\twg.Wait()\n", "\twg.Wait()\n\t_ = json.Valid\n")
	res = checkRun(t, mod, nil, analyzers, res, "full load (the imports or build constraints of "+test+" changed)", 1)
	if res.reused == 0 {
		t.Error("the full load after an import was added reused no package")
	}
	reused := res.reused

	// dep no longer stops the test, and an import is removed: dep is
	// checked again (its facts change: no finding), with the rest taken.
	edit(t, helper, "t.FailNow()", "t.Fail()")
	edit(t, test, "\t\"encoding/json\"\n", "")
	edit(t, test, "\t_ = json.Valid\n", "")
	res = checkRun(t, mod, nil, analyzers, res, "full load", 0)
	if res.reused == 0 || res.reused >= reused {
		t.Errorf("after dep changed, %d packages reused, want some, fewer than the %d before (dep is checked again)", res.reused, reused)
	}
}

// TestFirstLoadReusesAnotherDirectory opens a second package of a module:
// its first load takes the standard library from the first package's
// graph, not checked again, and finds what a load from scratch finds
// (checkRun compares the two when the race detector is off).
func TestFirstLoadReusesAnotherDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module m\n\ngo 1.26.0\n")
	racy := "package %s\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestRacy(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { t.FailNow() })\n\twg.Wait()\n}\n"
	for _, name := range []string{"a", "b"} {
		mkdir(t, filepath.Join(mod, name))
		write(t, filepath.Join(mod, name, name+"_test.go"), fmt.Sprintf(racy, name))
	}
	analyzers := guarded(testraces.Analyzers())
	checkRun(t, filepath.Join(mod, "a"), nil, analyzers, nil, "full load (first run)", 1)
	res := checkRun(t, filepath.Join(mod, "b"), nil, analyzers, nil, "full load (first run)", 1)
	if res.reused == 0 {
		t.Error("the first load of b reused no package of a's graph")
	}
}

// TestIncrementalCone edits a module of fiber's shape: the package's
// external tests import a package of the module that imports the
// package, so that go list compiles that one again with the package's
// internal tests. A change to the package
// checks again the package, that one, and the external tests (the cone),
// nothing else, and the facts that flow through that package change with
// it; each run gives what a full load gives.
func TestIncrementalCone(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Setenv("GOWORK", "") // no go.work yet, where one would be looked for
	t.Setenv("GOFLAGS", "")
	mod := t.TempDir()
	write(t, filepath.Join(mod, "go.mod"), "module m\n\ngo 1.26.0\n")
	for _, d := range []string{"p", "mid", "other"} {
		mkdir(t, filepath.Join(mod, d))
	}
	dir := filepath.Join(mod, "p")
	pgo := filepath.Join(dir, "p.go")
	write(t, pgo, "package p\n\nimport (\n\t\"testing\"\n\n\t\"m/other\"\n)\n\n// Stop stops the test.\nfunc Stop(t *testing.T) {\n\tt.Helper()\n\tt.Log(other.Name())\n\tt.FailNow()\n}\n")
	mid := filepath.Join(mod, "mid", "mid.go")
	write(t, mid, "package mid\n\nimport (\n\t\"testing\"\n\n\t\"m/p\"\n)\n\n// Check checks.\nfunc Check(t *testing.T) { p.Stop(t) }\n")
	other := filepath.Join(mod, "other", "other.go")
	write(t, other, "package other\n\n// Name is a name.\nfunc Name() string { return \"other\" }\n")
	write(t, filepath.Join(dir, "p_test.go"), "package p\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestIn(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { Stop(t) })\n\twg.Wait()\n}\n")
	xtest := filepath.Join(dir, "x_test.go")
	write(t, xtest, "package p_test\n\nimport (\n\t\"sync\"\n\t\"testing\"\n\n\t\"m/mid\"\n\t\"m/p\"\n)\n\nfunc TestX(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { mid.Check(t) })\n\twg.Go(func() { p.Stop(t) })\n\twg.Wait()\n}\n")
	analyzers := guarded(testraces.Analyzers())
	cone := []string{"m/p [m/p.test]", "m/mid [m/p.test]", "m/p_test [m/p.test]"}

	res := checkRun(t, dir, nil, analyzers, nil, "full load (first run)", 3)
	checkChecker(t, dir, analyzers, res)
	if res.graph == nil {
		t.Fatalf("no graph kept: %s", res.noGraph)
	}

	// The package no longer stops the test: the cone is checked again,
	// and mid's facts with it, so that the findings through it go.
	edit(t, pgo, "\tt.FailNow()\n", "\tt.Fail()\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 0)
	checkChecked(t, res, cone...)
	edit(t, pgo, "\tt.Fail()\n", "\tt.FailNow()\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, cone...)

	// Unsaved, the same.
	text := strings.Replace(readText(t, pgo), "\tt.FailNow()\n", "\tt.Fail()\n", 1)
	res = checkRun(t, dir, map[string][]byte{pgo: []byte(text)}, analyzers, res, "incremental", 0)
	checkChecked(t, res, cone...)
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, cone...)

	// The external tests alone: nothing imports them. p.Stop(t) now ends
	// the test before wg.Wait, with mid.Check(t) still to run on the
	// goroutine: aftertest's third finding.
	edit(t, xtest, "\twg.Go(func() { p.Stop(t) })\n", "\tp.Stop(t)\n")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, "m/p_test [m/p.test]")

	// The package between, and a dependency of the package.
	edit(t, mid, "{ p.Stop(t) }", "{ t.Helper(); p.Stop(t) }")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, "m/mid [m/p.test]", "m/p_test [m/p.test]")
	edit(t, other, "\"other\"", "\"another\"")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, append([]string{"m/other"}, cone...)...)

	// An import changed in the package between: a new graph.
	edit(t, mid, "import (\n", "import (\n\t\"fmt\"\n")
	edit(t, mid, "{ t.Helper(); p.Stop(t) }", "{ t.Helper(); fmt.Println(); p.Stop(t) }")
	res = checkRun(t, dir, nil, analyzers, res, "full load (the imports or build constraints of "+mid+" changed)", 3)
	edit(t, pgo, "// Stop stops", "// Stop stops the test:")
	res = checkRun(t, dir, nil, analyzers, res, "incremental", 3)
	checkChecked(t, res, cone...)

	// A go.work appears above the module: a new load.
	write(t, filepath.Join(mod, "go.work"), "go 1.26.0\n\nuse .\n")
	checkRun(t, dir, nil, analyzers, res, "full load ("+filepath.Join(mod, "go.work")+" changed)", 3)
}

// checkChecker checks that res, a full load's, finds what x/tools'
// checker finds on what go/packages loads: the server's loader and driver
// do what those do.
func checkChecker(t *testing.T, dir string, analyzers []*analysis.Analyzer, res *result) {
	t.Helper()
	if raceEnabled {
		return
	}
	src := &sources{dir: dir, content: map[string][]byte{}}
	pkgs, err := packages.Load(&packages.Config{
		Dir:   dir,
		Mode:  packages.LoadAllSyntax | packages.NeedModule | packages.NeedForTest,
		Tests: true,
	}, ".")
	if err != nil {
		t.Fatal(err)
	}
	roots := packagesOf(dir, pkgs)
	acts, err := checker.Analyze(analyzers, roots, nil)
	if err != nil {
		t.Fatal(err)
	}
	conv := &converter{src: src}
	found := map[*packages.Package]rootFindings{}
	for _, p := range roots {
		found[p] = make(rootFindings, len(analyzers))
	}
	for _, act := range acts.Roots {
		found[act.Package][slices.Index(analyzers, act.Analyzer)] = conv.convert(act.String(), act.Package.Fset, act.Analyzer, act.Diagnostics, act.Err)
	}
	want := &result{findings: map[string][]*finding{}}
	want.assemble(len(analyzers), roots, found)
	if got, want := dump(res.findings), dump(want.findings); !reflect.DeepEqual(got, want) {
		t.Errorf("findings %v, checker's %v", got, want)
	}
	if !reflect.DeepEqual(res.errors, want.errors) {
		t.Errorf("errors %v, checker's %v", res.errors, want.errors)
	}
}

// checkChecked checks which packages an incremental run checked again.
func checkChecked(t *testing.T, res *result, want ...string) {
	t.Helper()
	if !slices.Equal(res.checked, want) {
		t.Errorf("checked again %q, want %q", res.checked, want)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// checkRun analyses dir after prev, checks how it went and that it found
// what a full load finds, and returns the result.
func checkRun(t *testing.T, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer, prev *result, how string, findings int) *result {
	t.Helper()
	start := time.Now()
	var mu sync.Mutex
	early := map[string][]*finding{}
	res, err := analyze(context.Background(), dir, overlay, analyzers, prev, func(files []string, findings map[string][]*finding) {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range files {
			early[f] = findings[f]
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for f, fs := range early {
		got, want := dump(map[string][]*finding{f: fs}), dump(map[string][]*finding{f: res.findings[f]})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: early %v, then %v", f, got, want)
		}
	}
	if strings.HasPrefix(res.how, "full load") && len(res.broken) == 0 && len(early) != len(res.files) {
		t.Errorf("early findings for %d files, want all %d", len(early), len(res.files))
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
	if raceEnabled {
		return res
	}
	full, err := load(context.Background(), dir, overlay, analyzers, nil, nil)
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

// TestIncrementalMemory edits one file of the fixture 30 times, saved and
// unsaved, as the server analyses it, and checks that the live heap after
// the last run is within 10% of that after the first: the server keeps
// one generation of packages, and what a run adds to the shared file set
// goes with the generation it replaced.
func TestIncrementalMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "")
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
	text := readText(t, racy)
	res, err := analyze(context.Background(), dir, nil, analyzers, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var first uint64
	for i := 1; i <= 30; i++ {
		edited := strings.Replace(text, "func TestFailNow(", fmt.Sprintf("// Edit %d.\nfunc TestFailNow(", i), 1)
		var overlay map[string][]byte
		if i%2 == 0 {
			edit(t, racy, readText(t, racy), edited) // saved
		} else {
			overlay = map[string][]byte{racy: []byte(edited)} // typed
		}
		next, err := analyze(context.Background(), dir, overlay, analyzers, res, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(next.how, "incremental") {
			t.Fatalf("edit %d: %s, want an incremental run", i, next.how)
		}
		if res.graph != nil {
			res.graph.release(next.graph) // as the server does when it keeps next
		}
		res = next
		if i == 1 || i == 30 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			t.Logf("after edit %d: %.1f MiB live heap, %d files in the file set", i, float64(m.HeapAlloc)/(1<<20), fileCount(res.graph.fset))
			if i == 1 {
				first = m.HeapAlloc
			} else if float64(m.HeapAlloc) > 1.1*float64(first) {
				t.Errorf("the live heap grew from %d to %d bytes in 29 edits", first, m.HeapAlloc)
			}
		}
	}
	runtime.KeepAlive(res)
}

func fileCount(fset *token.FileSet) int {
	n := 0
	fset.Iterate(func(*token.File) bool { n++; return true })
	return n
}
