package testraces_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/testraces/testraces"
	"github.com/testraces/testraces/internal/lsp"
)

// lspDiagnostic is what the test reads of a published diagnostic.
type lspDiagnostic struct {
	Range           lsp.Range `json:"range"`
	Code            string    `json:"code"`
	CodeDescription struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
	Source             string `json:"source"`
	Message            string `json:"message"`
	RelatedInformation []struct {
		Location lsp.Location `json:"location"`
		Message  string       `json:"message"`
	} `json:"relatedInformation"`
}

// fixtureDiagnostics are the diagnostics the language server publishes
// for testdata/fixture/racy_test.go (zero-based lines, UTF-16 columns),
// //nolint'ed one included: like go vet, the server does not read
// //nolint.
var fixtureDiagnostics = []struct {
	start, end, related lsp.Position
	code                string
}{
	{pos(10, 1), pos(10, 17), pos(12, 2), "defer-shared-resource"},
	{pos(20, 2), pos(20, 17), pos(19, 1), "failnow-callback"},
	{pos(27, 1), pos(27, 25), pos(26, 1), "serverready-request"},
	{pos(33, 2), pos(33, 18), pos(32, 1), "failnow-callback"},
	{pos(41, 11), pos(41, 14), pos(40, 1), "cleanupctx-test-context"},
}

func pos(line, char uint32) lsp.Position { return lsp.Position{Line: line, Character: char} }

// TestLanguageServer drives testraces' language server over a pipe as an
// editor would: it opens the fixture, checks the diagnostics, applies the
// cleanupctx quick fix, which adds an import, and saves; the finding is
// then gone.
func TestLanguageServer(t *testing.T) {
	skipShort(t, "loads testdata/fixture and its dependencies with the go command")
	dir := copyFixture(t)
	c := startServer(t)
	start := time.Now()

	c.initialize(t, dir, map[string]any{"window": map[string]any{"workDoneProgress": true}})
	file := filepath.Join(dir, "racy_test.go")
	uri := fileURI(file)
	text := readFile(t, file)
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": text},
	})

	pubs, progress := c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) > 0 })
	t.Logf("first diagnostics after %v", time.Since(start))
	checkFixtureDiagnostics(t, pubs[uri])
	for _, f := range []string{"clean_test.go", "fixture.go"} {
		if d, ok := pubs[fileURI(filepath.Join(dir, f))]; !ok || len(d) != 0 {
			t.Errorf("%s: published %v (%v), want an empty list", f, d, ok)
		}
	}
	// The diagnostics of the package are published as soon as it is
	// analysed, before the run is over and its progress ends.
	for len(progress) < 2 {
		if m := c.next(t); m.Method == "$/progress" {
			var p struct{ Value struct{ Kind string } }
			json.Unmarshal(m.Params, &p)
			progress = append(progress, p.Value.Kind)
		}
	}
	if !slices.Equal(progress, []string{"begin", "end"}) {
		t.Errorf("$/progress during the first load: %v, want begin and end", progress)
	}

	// No quick fix where the fix is not known (the fixture's own server),
	// and the cleanupctx one, which adds an import, at the context.
	if actions := c.codeActions(t, uri, pubs[uri][2].Range); len(actions) != 0 {
		t.Errorf("code actions at the serverready finding: %+v, want none", actions)
	}
	cleanupctx := pubs[uri][4]
	actions := c.codeActions(t, uri, cleanupctx.Range)
	if len(actions) != 1 || actions[0].Kind != "quickfix" || len(actions[0].Edit.Changes) != 1 {
		t.Fatalf("code actions at %v: %+v, want one quickfix", cleanupctx.Range, actions)
	}
	edits := actions[0].Edit.Changes[uri]
	fixed := applyEdits(t, text, edits)
	golden := readFile(t, "testdata/lsp/racy_test.go.cleanupctx.golden")
	if fixed != golden {
		t.Errorf("the quick fix gives\n%s\nwant (testdata/lsp/racy_test.go.cleanupctx.golden)\n%s", fixed, golden)
	}

	// Edited, not yet saved: the positions have moved, so no actions.
	c.send(t, 0, "textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": fixed}},
	})
	if actions := c.codeActions(t, uri, span(fixtureDiagnostics[0].start, fixtureDiagnostics[0].end)); len(actions) != 0 {
		t.Errorf("code actions on an edited document: %+v, want none", actions)
	}

	// Saved: analysed again, and the cleanupctx finding is gone.
	writeFile(t, file, []byte(fixed))
	start = time.Now()
	c.send(t, 0, "textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	pubs, _ = c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) == len(fixtureDiagnostics)-1 })
	t.Logf("diagnostics after the save in %v", time.Since(start))
	for _, d := range pubs[uri] {
		if d.Code == "cleanupctx-test-context" {
			t.Errorf("the fixed finding is still published: %+v", d)
		}
	}
	// The fix added an import, so the package graph was loaded again.
	c.expectLog(t, "full load (the imports or build constraints of "+file+" changed)")

	// The deferparallel quick fix changes no import: only the package is
	// checked again, against the dependencies of the last load.
	var deferparallel lspDiagnostic
	for _, d := range pubs[uri] {
		if d.Code == "defer-shared-resource" {
			deferparallel = d
		}
	}
	actions = c.codeActions(t, uri, deferparallel.Range)
	if len(actions) != 1 {
		t.Fatalf("code actions at %v: %+v, want one", deferparallel.Range, actions)
	}
	fixed = applyEdits(t, fixed, actions[0].Edit.Changes[uri])
	c.send(t, 0, "textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"text": fixed}},
	})
	writeFile(t, file, []byte(fixed))
	start = time.Now()
	c.send(t, 0, "textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	pubs, _ = c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) == len(fixtureDiagnostics)-2 })
	t.Logf("diagnostics after the second save in %v", time.Since(start))
	c.expectLog(t, "incremental")
	c.shutdown(t)

	// A new server, which loads the package again (and takes the
	// standard library from the first server's last graph), publishes
	// the same.
	fresh := startServer(t)
	fresh.initialize(t, dir, nil)
	fresh.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": fixed},
	})
	want, _ := fresh.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) > 0 })
	fresh.expectLog(t, "full load (first run)")
	for _, d := range [][]lspDiagnostic{pubs[uri], want[uri]} {
		sort.Slice(d, func(i, j int) bool { return fmt.Sprint(d[i]) < fmt.Sprint(d[j]) })
	}
	if got, want := fmt.Sprintf("%+v", pubs[uri]), fmt.Sprintf("%+v", want[uri]); got != want {
		t.Errorf("after the incremental run:\n%s\na fresh server publishes\n%s", got, want)
	}
	fresh.shutdown(t)
}

// TestLanguageServerTyping types in the fixture without saving, as an
// editor sends it: the server analyses the buffer after a pause and
// publishes its findings with the version they are of, and its quick
// fixes carry the version they were made from, so that one made before
// an edit is not applied after it (and the server gives none for the
// old text once it has the new).
func TestLanguageServerTyping(t *testing.T) {
	skipShort(t, "loads testdata/fixture and its dependencies with the go command")
	dir := copyFixture(t)
	c := startServer(t)
	c.initialize(t, dir, map[string]any{"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true}}})
	file := filepath.Join(dir, "racy_test.go")
	uri := fileURI(file)
	text := readFile(t, file)
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": text},
	})
	c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) == len(fixtureDiagnostics) })

	// A racy test typed at the end, not saved: two more findings, for
	// version 2 (failnow's, and aftertest's: nothing waits for the
	// goroutine).
	typed := text + "\nfunc TestMore(t *testing.T) {\n\tgo func() { t.FailNow() }()\n}\n"
	c.change(t, uri, 2, typed)
	start := time.Now()
	pubs, _ := c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) == len(fixtureDiagnostics)+2 })
	t.Logf("diagnostics %v after the change", time.Since(start))
	if v := c.versions[uri]; v == nil || *v != 2 {
		t.Errorf("the diagnostics of the typed text are published for version %v, want 2", v)
	}
	c.expectLog(t, "incremental")

	// The deferparallel fix, made from version 2, says so.
	var deferparallel lspDiagnostic
	for _, d := range pubs[uri] {
		if d.Code == "defer-shared-resource" {
			deferparallel = d
		}
	}
	actions := c.codeActions(t, uri, deferparallel.Range)
	if len(actions) != 1 || len(actions[0].Edit.DocumentChanges) != 1 {
		t.Fatalf("code actions at %v: %+v, want one with one document's edits", deferparallel.Range, actions)
	}
	old := actions[0].Edit.DocumentChanges[0]
	if old.TextDocument.URI != uri || old.TextDocument.Version == nil || *old.TextDocument.Version != 2 {
		t.Errorf("the fix edits %s version %v, want %s version 2", old.TextDocument.URI, old.TextDocument.Version, uri)
	}
	fixedBefore := applyEdits(t, typed, old.Edits)

	// A line typed above moves everything: the fix made from version 2
	// no longer applies (a client sees its version is not the buffer's),
	// and the server gives none for the old range but fixes of version 3.
	moved := strings.Replace(typed, "\nimport (", "\n// Moved.\nimport (", 1)
	c.change(t, uri, 3, moved)
	for _, a := range c.codeActions(t, uri, deferparallel.Range) {
		for _, dc := range a.Edit.DocumentChanges {
			if dc.TextDocument.Version == nil || *dc.TextDocument.Version != 3 {
				t.Errorf("after the edit, a fix for version %v of %s, want none or version 3", dc.TextDocument.Version, dc.TextDocument.URI)
			}
		}
	}
	pubs, _ = c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool {
		v := c.versions[uri]
		return v != nil && *v == 3
	})
	for _, d := range pubs[uri] {
		if d.Code == "defer-shared-resource" {
			deferparallel = d
		}
	}
	actions = c.codeActions(t, uri, deferparallel.Range)
	if len(actions) != 1 || len(actions[0].Edit.DocumentChanges) != 1 {
		t.Fatalf("code actions at %v: %+v, want one with one document's edits", deferparallel.Range, actions)
	}
	now := actions[0].Edit.DocumentChanges[0]
	if now.TextDocument.Version == nil || *now.TextDocument.Version != 3 {
		t.Errorf("the fix edits version %v, want 3", now.TextDocument.Version)
	}
	want := strings.Replace(fixedBefore, "\nimport (", "\n// Moved.\nimport (", 1)
	if got := applyEdits(t, moved, now.Edits); got != want {
		t.Errorf("the fix made from version 3 gives\n%s\nwant\n%s", got, want)
	}
	c.shutdown(t)
}

// TestLanguageServerCone edits, through the server, a module of fiber's
// shape: the external tests import a package of the module that imports
// the package under test. A save of the package checks again the
// package, that one and the external tests, as the server's log says, and
// publishes what a new server publishes.
func TestLanguageServerCone(t *testing.T) {
	skipShort(t, "loads a package with the go command")
	mod := t.TempDir()
	files := map[string]string{
		"go.mod":      "module m\n\ngo 1.26.0\n",
		"p/p.go":      "package p\n\nimport \"testing\"\n\n// Stop stops the test.\nfunc Stop(t *testing.T) {\n\tt.Helper()\n\tt.FailNow()\n}\n",
		"p/p_test.go": "package p\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestIn(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { Stop(t) })\n\twg.Wait()\n}\n",
		"p/x_test.go": "package p_test\n\nimport (\n\t\"sync\"\n\t\"testing\"\n\n\t\"m/mid\"\n)\n\nfunc TestX(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { mid.Check(t) })\n\twg.Wait()\n}\n",
		"mid/mid.go":  "package mid\n\nimport (\n\t\"testing\"\n\n\t\"m/p\"\n)\n\n// Check checks.\nfunc Check(t *testing.T) { p.Stop(t) }\n",
	}
	for name, text := range files {
		writeFile(t, filepath.Join(mod, name), []byte(text))
	}
	pgo, xtest := filepath.Join(mod, "p", "p.go"), filepath.Join(mod, "p", "x_test.go")
	var paths, names []string
	for _, f := range []string{"p/p.go", "p/p_test.go", "p/x_test.go"} {
		paths = append(paths, filepath.Join(mod, f))
		names = append(names, fileURI(filepath.Join(mod, f)))
	}
	c := startServer(t)
	c.initialize(t, mod, nil)
	for _, f := range paths {
		c.open(t, f)
	}
	uri := fileURI(xtest)
	c.awaitDiagnostics(t, uri, func(d []lspDiagnostic) bool { return len(d) == 1 })
	c.expectLog(t, "full load (first run)")

	// Stop no longer stops the test: mid's facts change with it, and the
	// finding through mid goes. (Every document goes to version 2, so
	// that the diagnostics of this run are told from the last's.)
	text := strings.Replace(files["p/p.go"], "t.FailNow()", "t.Fail()", 1)
	writeFile(t, pgo, []byte(text))
	for i, f := range paths {
		c.change(t, names[i], 2, readFile(t, f))
	}
	c.send(t, 0, "textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": fileURI(pgo)}})
	pubs := c.awaitFiles(t, names, 2)
	if len(pubs[uri]) != 0 {
		t.Errorf("x_test.go after the save: %+v, want no finding", pubs[uri])
	}
	c.expectLog(t, "incremental (checked again: m/p [m/p.test], m/mid [m/p.test], m/p_test [m/p.test])")
	c.shutdown(t)

	fresh := startServer(t)
	fresh.initialize(t, mod, nil)
	for _, f := range paths {
		fresh.open(t, f)
	}
	want := fresh.awaitFiles(t, names, 1)
	for i, u := range names {
		if got, want := fmt.Sprintf("%+v", pubs[u]), fmt.Sprintf("%+v", want[u]); got != want {
			t.Errorf("%s after the save: %s, a new server publishes %s", paths[i], got, want)
		}
	}
	fresh.shutdown(t)
}

// awaitFiles reads publishDiagnostics until each of uris has had
// diagnostics for version, and returns those.
func (c *lspClient) awaitFiles(t testing.TB, uris []string, version int32) map[string][]lspDiagnostic {
	t.Helper()
	pubs := map[string][]lspDiagnostic{}
	for _, u := range uris {
		for {
			if _, ok := pubs[u]; ok {
				break
			}
			got, _ := c.awaitDiagnostics(t, u, func([]lspDiagnostic) bool { return true })
			for v, d := range got {
				if p := c.versions[v]; p != nil && *p == version {
					pubs[v] = d
				}
			}
		}
	}
	return pubs
}

// change sends the whole text of a new version of a document.
func (c *lspClient) change(t testing.TB, uri string, version int, text string) {
	t.Helper()
	c.send(t, 0, "textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []map[string]any{{"text": text}},
	})
}

// checkFixtureDiagnostics compares the diagnostics of racy_test.go with
// fixtureDiagnostics.
func checkFixtureDiagnostics(t *testing.T, got []lspDiagnostic) {
	t.Helper()
	sort.Slice(got, func(i, j int) bool { return got[i].Range.Start.Line < got[j].Range.Start.Line })
	if len(got) != len(fixtureDiagnostics) {
		t.Fatalf("%d diagnostics, want %d: %+v", len(got), len(fixtureDiagnostics), got)
	}
	for i, want := range fixtureDiagnostics {
		d := got[i]
		if d.Range.Start != want.start || d.Range.End != want.end || d.Code != want.code || d.Source != "testraces" {
			t.Errorf("diagnostic %d: range %v, code %q, source %q; want %v-%v, %q, testraces", i, d.Range, d.Code, d.Source, want.start, want.end, want.code)
		}
		if want := "https://github.com/testraces/testraces#" + want.code; d.CodeDescription.Href != want {
			t.Errorf("diagnostic %d: href %q, want %q", i, d.CodeDescription.Href, want)
		}
		if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.Range.Start != want.related || !strings.HasSuffix(d.RelatedInformation[0].Location.URI, "/racy_test.go") {
			t.Errorf("diagnostic %d: related %+v, want the first at %v", i, d.RelatedInformation, want.related)
		}
	}
}

// TestLanguageServerRobust sends what a client should not: a malformed
// message, a request before initialize, wrong parameters, an unknown
// method, a file outside any module and one that does not compile. Each
// gets an error or a message, and the session goes on.
func TestLanguageServerRobust(t *testing.T) {
	skipShort(t, "loads a package with the go command")
	c := startServer(t)

	c.send(t, 1, "textDocument/codeAction", map[string]any{})
	c.expectError(t, 1, -32002) // not initialized
	c.initialize(t, t.TempDir(), nil)

	c.sendRaw(t, `{"jsonrpc":"2.0","id":3,"method":`) // not JSON
	c.expectError(t, 0, -32700)
	c.sendRaw(t, `{"jsonrpc":"2.0","id":4}`) // neither request nor response
	c.expectError(t, 4, -32600)
	c.send(t, 5, "textDocument/codeAction", map[string]any{"range": "everywhere"})
	c.expectError(t, 5, -32602)
	c.send(t, 6, "textDocument/rename", map[string]any{})
	c.expectError(t, 6, -32601)

	// A file outside any module.
	outside := filepath.Join(t.TempDir(), "a_test.go")
	writeFile(t, outside, []byte("package a\n"))
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(outside), "languageId": "go", "version": 1, "text": "package a\n"},
	})
	msg := c.awaitMethod(t, "window/showMessage")
	if !strings.Contains(string(msg.Params), "not in a Go module") {
		t.Errorf("showMessage for a file outside any module: %s", msg.Params)
	}

	// A package that does not compile: no testraces diagnostics, even for
	// a race in the file that does compile.
	mod := t.TempDir()
	writeFile(t, filepath.Join(mod, "go.mod"), []byte("module broken\n\ngo 1.26.0\n"))
	racy := "package broken\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestFailNow(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { t.Fatal(\"boom\") })\n\twg.Wait()\n}\n"
	writeFile(t, filepath.Join(mod, "racy_test.go"), []byte(racy))
	writeFile(t, filepath.Join(mod, "broken.go"), []byte("package broken\n\nfunc f() int { return \"\" }\n"))
	uri := fileURI(filepath.Join(mod, "racy_test.go"))
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": racy},
	})
	pubs, _ := c.awaitDiagnostics(t, uri, func([]lspDiagnostic) bool { return true })
	if len(pubs[uri]) != 0 {
		t.Errorf("diagnostics in a package with type errors: %+v", pubs[uri])
	}

	// Still serving.
	c.send(t, 7, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        span(fixtureDiagnostics[0].start, fixtureDiagnostics[0].end),
		"context":      map[string]any{"diagnostics": []any{}},
	})
	if m := c.awaitID(t, 7); string(m.Result) != "[]" {
		t.Errorf("code actions in a broken package: %s, want []", m.Result)
	}
	c.shutdown(t)
}

// TestLanguageServerNewerGo opens a file of a module whose go line is
// newer than the go command (GOTOOLCHAIN=local) and than this build: the
// server says, as a window/showMessage, the line the command prints —
// which Go the code needs, which Go testraces was built with, and how to
// install it with a newer one — and says it once for the directory.
func TestLanguageServerNewerGo(t *testing.T) {
	skipShort(t, "runs the go command")
	c := startServer(t)
	t.Setenv("GOTOOLCHAIN", "local")
	mod := t.TempDir()
	c.initialize(t, mod, nil)
	writeFile(t, filepath.Join(mod, "go.mod"), []byte("module newer\n\ngo 1.99\n"))
	file := filepath.Join(mod, "newer_test.go")
	text := "package newer\n"
	writeFile(t, file, []byte(text))
	uri := fileURI(file)
	c.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": text},
	})
	msg := c.awaitMethod(t, "window/showMessage")
	var p struct {
		Type    int
		Message string
	}
	if err := json.Unmarshal(msg.Params, &p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"testraces: this code needs Go 1.99",
		"testraces was built with " + runtime.Version(),
		"GOTOOLCHAIN=go1.99.0 go install github.com/testraces/testraces/cmd/testraces@latest",
	} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("showMessage %q does not say %q", p.Message, want)
		}
	}
	if p.Type != 1 || strings.Contains(p.Message, "\n") || strings.Contains(p.Message, "stderr:") {
		t.Errorf("showMessage %+v: want one line, as an error", p)
	}
	// Saved again: analysed again, and not said again.
	c.send(t, 0, "textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		c.log.mu.Lock()
		failed := c.log.failed
		c.log.mu.Unlock()
		if failed >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server logged %d failed runs, want 2", failed)
		}
	}
	c.send(t, 8, "shutdown", nil)
	for {
		m := c.next(t)
		if m.Method == "window/showMessage" {
			t.Errorf("said again: %s", m.Params)
		}
		if string(m.ID) == "8" {
			break
		}
	}
	c.send(t, 0, "exit", nil)
}

// lspClient is the editor's end of a connection to an in-process server.
type lspClient struct {
	*lspConn
	done     chan error // Serve's result
	log      *testLog
	versions map[string]*int32 // by URI, the version of the last diagnostics published
	msgs     chan []byte       // what the server sent, read as it comes (closed at the end)
}

// startServer serves testraces' analyzers on a pipe, and stops the server
// when the test ends if the test did not shut it down.
func startServer(t testing.TB) *lspClient {
	t.Helper()
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "")
	client, server := net.Pipe()
	c := &lspClient{
		lspConn:  &lspConn{w: client, r: bufio.NewReader(client)},
		done:     make(chan error, 1),
		versions: map[string]*int32{},
		msgs:     make(chan []byte, 1<<16),
	}
	c.log = &testLog{t: t}
	logger := log.New(c.log, "server: ", 0)
	go func() {
		c.done <- lsp.Serve(context.Background(), server, lsp.Options{Analyzers: testraces.Analyzers(), Log: logger})
	}()
	go c.readAll()
	t.Cleanup(func() {
		client.Close()
		<-c.done
	})
	return c
}

// testLog writes the server's log to the test's, and keeps the last line
// about a run.
type testLog struct {
	t      testing.TB
	quiet  bool // keep the last line, log none (a benchmark's log)
	mu     sync.Mutex
	last   string
	failed int // lines about a run that failed ("analysing FILE: ERROR")
}

func (l *testLog) Write(p []byte) (int, error) {
	line := strings.TrimSuffix(string(p), "\n")
	if !l.quiet {
		l.t.Log(line)
	}
	l.mu.Lock()
	switch {
	case strings.HasPrefix(line, "server: analysed "):
		l.last = line
	case strings.HasPrefix(line, "server: analysing "):
		l.failed++
	}
	l.mu.Unlock()
	return len(p), nil
}

// expectLog checks that the server logged, about the last run, how it
// went. The server logs that when the run is over, which may be after it
// published the diagnostics of the package it checked first: a line that
// does not say so yet is waited for (a minute at most) to be followed by
// one that does.
func (c *lspClient) expectLog(t testing.TB, how string) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		c.log.mu.Lock()
		last = c.log.last
		c.log.mu.Unlock()
		// "server: analysed DIR in T: HOW"
		_, got, _ := strings.Cut(strings.TrimPrefix(last, "server: analysed "), ": ")
		if strings.HasPrefix(got, how) {
			return
		}
		if time.Now().After(deadline) {
			break
		}
	}
	t.Errorf("the server logged %q about the last run, want one saying %q", last, how)
}

func (c *lspClient) initialize(t testing.TB, dir string, capabilities map[string]any) {
	t.Helper()
	if capabilities == nil {
		capabilities = map[string]any{}
	}
	c.send(t, 100, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": fileURI(dir), "capabilities": capabilities})
	m := c.awaitID(t, 100)
	var res struct {
		Capabilities struct {
			CodeActionProvider struct{ CodeActionKinds []string }
		}
	}
	if err := json.Unmarshal(m.Result, &res); err != nil || !slices.Contains(res.Capabilities.CodeActionProvider.CodeActionKinds, "quickfix") {
		t.Fatalf("initialize: %s (%v), want quickfix code actions", m.Result, err)
	}
	c.send(t, 0, "initialized", map[string]any{})
}

func (c *lspClient) shutdown(t testing.TB) {
	t.Helper()
	c.send(t, 101, "shutdown", nil)
	c.awaitID(t, 101)
	c.send(t, 0, "exit", nil)
	select {
	case err := <-c.done:
		c.done <- err // for the cleanup
		if err != nil {
			t.Errorf("Serve after shutdown and exit: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the server did not stop after exit")
	}
}

// rpcMessage is any message, with what responses carry.
type rpcMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// readAll reads what the server sends as it comes, as an editor does (the
// server's writes block until they are read), answering its requests for
// progress tokens, until the connection closes.
func (c *lspClient) readAll() {
	defer close(c.msgs)
	for {
		body, err := c.readBody()
		if err != nil {
			return
		}
		var m rpcMessage
		if json.Unmarshal(body, &m) == nil && m.Method == "window/workDoneProgress/create" {
			reply := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, m.ID)
			fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(reply), reply)
		}
		c.msgs <- body
	}
}

// next returns the next message the server sent.
func (c *lspClient) next(t testing.TB) rpcMessage {
	t.Helper()
	var raw []byte
	select {
	case body, ok := <-c.msgs:
		if !ok {
			t.Fatal("the connection to the server closed")
		}
		raw = body
	case <-time.After(2 * time.Minute):
		t.Fatal("nothing from the server for 2 minutes")
	}
	var m rpcMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("a message that is not JSON-RPC: %v\n%s", err, raw)
	}
	return m
}

// awaitID reads up to the response to request id.
func (c *lspClient) awaitID(t testing.TB, id int) rpcMessage {
	t.Helper()
	for {
		m := c.next(t)
		if m.Method == "" && string(m.ID) == fmt.Sprint(id) {
			return m
		}
	}
}

// awaitMethod reads up to a message of the method.
func (c *lspClient) awaitMethod(t testing.TB, method string) rpcMessage {
	t.Helper()
	for {
		if m := c.next(t); m.Method == method {
			return m
		}
	}
}

// expectError reads up to the response to id (0: null) and checks its
// error code.
func (c *lspClient) expectError(t testing.TB, id, code int) {
	t.Helper()
	want := "null"
	if id != 0 {
		want = fmt.Sprint(id)
	}
	for {
		m := c.next(t)
		if m.Method != "" || string(m.ID) != want {
			continue
		}
		if m.Error == nil || m.Error.Code != code {
			t.Errorf("response to %s: %+v %s, want error %d", want, m.Error, m.Result, code)
		}
		return
	}
}

// awaitDiagnostics reads publishDiagnostics until one for uri satisfies
// done, and returns the last diagnostics of each document and the kinds of
// $/progress seen on the way.
func (c *lspClient) awaitDiagnostics(t testing.TB, uri string, done func([]lspDiagnostic) bool) (map[string][]lspDiagnostic, []string) {
	t.Helper()
	pubs := map[string][]lspDiagnostic{}
	var progress []string
	for {
		m := c.next(t)
		switch m.Method {
		case "$/progress":
			var p struct{ Value struct{ Kind string } }
			json.Unmarshal(m.Params, &p)
			progress = append(progress, p.Value.Kind)
		case "textDocument/publishDiagnostics":
			var p struct {
				URI         string          `json:"uri"`
				Version     *int32          `json:"version"`
				Diagnostics []lspDiagnostic `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			if p.Diagnostics == nil {
				t.Errorf("publishDiagnostics for %s with diagnostics null, want a list", p.URI)
			}
			pubs[p.URI] = p.Diagnostics
			c.versions[p.URI] = p.Version
			if p.URI == uri && done(p.Diagnostics) {
				return pubs, progress
			}
		case "window/showMessage":
			t.Errorf("showMessage: %s", m.Params)
		}
	}
}

type codeAction struct {
	Title string
	Kind  string
	Edit  struct {
		Changes         map[string][]lsp.TextEdit
		DocumentChanges []struct {
			TextDocument struct {
				URI     string
				Version *int32
			}
			Edits []lsp.TextEdit
		}
	}
}

func (c *lspClient) codeActions(t testing.TB, uri string, rng lsp.Range) []codeAction {
	t.Helper()
	c.send(t, 200, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        rng,
		"context":      map[string]any{"diagnostics": []any{}},
	})
	m := c.awaitID(t, 200)
	var actions []codeAction
	if err := json.Unmarshal(m.Result, &actions); err != nil {
		t.Fatalf("code actions: %v\n%s", err, m.Result)
	}
	return actions
}

// sendRaw sends a message as it is.
func (c *lspClient) sendRaw(t testing.TB, body string) {
	t.Helper()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		t.Fatal(err)
	}
}

func span(start, end lsp.Position) lsp.Range { return lsp.Range{Start: start, End: end} }

// applyEdits applies LSP edits, whose columns count UTF-16 code units, to
// text.
func applyEdits(t testing.TB, text string, edits []lsp.TextEdit) string {
	t.Helper()
	edits = slices.Clone(edits)
	sort.SliceStable(edits, func(i, j int) bool {
		return offsetOf(text, edits[i].Range.Start) > offsetOf(text, edits[j].Range.Start)
	})
	for _, e := range edits {
		start, end := offsetOf(text, e.Range.Start), offsetOf(text, e.Range.End)
		text = text[:start] + e.NewText + text[end:]
	}
	return text
}

// offsetOf returns the byte offset of an LSP position in text.
func offsetOf(text string, p lsp.Position) int {
	off := 0
	for range p.Line {
		off += strings.IndexByte(text[off:], '\n') + 1
	}
	for units := uint32(0); units < p.Character && off < len(text) && text[off] != '\n'; {
		r, size := utf8.DecodeRuneInString(text[off:])
		units += uint32(utf16Units(r))
		off += size
	}
	return off
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func fileURI(path string) string { return "file://" + filepath.ToSlash(path) }

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
