package main

import (
	"cmp"
	"fmt"
	"go/token"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// printPackageErrors prints the errors of the packages and of every
// package they import, each once, and returns how many it printed. A file
// of a package is also a file of its test variant ("p [p.test]"), which
// go/packages type-checks again, with the same errors.
func printPackageErrors(w io.Writer, pkgs []*packages.Package, cwd string) int {
	seen := make(map[string]bool)
	printOnce := func(line string) {
		if !seen[line] {
			seen[line] = true
			fmt.Fprintln(w, line)
		}
	}
	for pkg := range packages.Postorder(pkgs) {
		for _, err := range pkg.Errors {
			if err.Pos == "" {
				printOnce(err.Msg)
			} else {
				printOnce(relativePos(err.Pos, cwd) + ": " + err.Msg)
			}
		}
		if pkg.Module != nil && pkg.Module.Error != nil {
			printOnce(pkg.Module.Error.Err)
		}
	}
	return len(seen)
}

// splitIllTyped splits the packages into those that type-check, with all
// they import, and the others. The others are not analysed: testraces'
// analyzers would only be skipped on them, each with an error of its own
// ("failed prerequisites"), and go vet, too, does not analyse a package
// that does not type-check.
func splitIllTyped(pkgs []*packages.Package) (wellTyped, illTyped []*packages.Package) {
	for _, p := range pkgs {
		if p.IllTyped {
			illTyped = append(illTyped, p)
		} else {
			wellTyped = append(wellTyped, p)
		}
	}
	return wellTyped, illTyped
}

// notAnalysedLines says which of the packages the user named were not
// analysed, one line for each: "p" when the package itself was not (nor
// then its tests), "tests of p" when only its test variants were
// ("p [p.test]", the external "p_test [p.test]", the generated test main
// "p.test"), which go/packages loads as packages of their own.
func notAnalysedLines(illTyped []*packages.Package) []string {
	onlyTests := make(map[string]bool) // package path: whether only its tests failed
	for _, p := range illTyped {
		path, isTest := packageUnderTest(p)
		if only, ok := onlyTests[path]; !ok || only {
			onlyTests[path] = isTest
		}
	}
	var lines []string
	for _, path := range slices.Sorted(maps.Keys(onlyTests)) {
		what := path
		if onlyTests[path] {
			what = "tests of " + path
		}
		lines = append(lines, "testraces: "+what+" not analysed (errors above)")
	}
	return lines
}

// packageUnderTest returns the path of the package that p is, or is a
// test variant of, and whether p is a test variant.
func packageUnderTest(p *packages.Package) (path string, isTest bool) {
	if p.ForTest != "" {
		return p.ForTest, true
	}
	if path, ok := testMainOf(p); ok {
		return path, true
	}
	return p.PkgPath, false
}

// testMainOf reports whether p is the test main that go/packages
// generates for a package's tests ("p.test"), and returns that package's
// path. Nothing marks it but its name and what it imports: the test
// variants of that package.
func testMainOf(p *packages.Package) (string, bool) {
	path, ok := strings.CutSuffix(p.PkgPath, ".test")
	if !ok || p.Name != "main" {
		return "", false
	}
	for _, imp := range p.Imports {
		if imp.ForTest == path {
			return path, true
		}
	}
	return "", false
}

// printAnalysisErrors prints the error of each analyzer that failed on a
// package, and returns how many it printed. An analyzer that failed
// because one it needs failed first ("failed prerequisites", on every
// package that imports the one it failed on) adds nothing to that first
// error.
func printAnalysisErrors(w io.Writer, graph *checker.Graph) int {
	n := 0
	for act := range graph.All() {
		if act.Err != nil && !slices.ContainsFunc(act.Deps, failed) {
			fmt.Fprintf(w, "testraces: %s: %v\n", act, act.Err)
			n++
		}
	}
	return n
}

func failed(act *checker.Action) bool { return act.Err != nil }

// A finding is a diagnostic as the command prints it.
type finding struct {
	analyzer *analysis.Analyzer
	pos, end token.Position
	diag     analysis.Diagnostic
	fset     *token.FileSet
}

// printFindings prints the diagnostics of the analysed packages, sorted by
// position, with their related positions, and returns how many it printed.
// A finding in a file that a package shares with its test variant is
// reported by both, and printed once.
func printFindings(w io.Writer, graph *checker.Graph, cwd string, contextLines int) int {
	findings := collectFindings(graph)
	for _, f := range findings {
		printPosition(w, f.pos, f.end, f.diag.Message, cwd, contextLines)
		for _, r := range f.diag.Related {
			pos := f.fset.Position(r.Pos)
			printPosition(w, pos, f.fset.Position(cmp.Or(r.End, r.Pos)), "\t"+r.Message, cwd, contextLines)
		}
	}
	return len(findings)
}

// collectFindings returns the root actions' diagnostics, without
// duplicates, sorted by position.
func collectFindings(graph *checker.Graph) []finding {
	type key struct {
		pos, end token.Position
		analyzer *analysis.Analyzer
		message  string
	}
	seen := make(map[key]bool)
	var findings []finding
	for _, act := range graph.Roots {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := finding{act.Analyzer, fset.Position(d.Pos), fset.Position(cmp.Or(d.End, d.Pos)), d, fset}
			k := key{f.pos, f.end, f.analyzer, d.Message}
			if !seen[k] {
				seen[k] = true
				findings = append(findings, f)
			}
		}
	}
	slices.SortStableFunc(findings, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.pos.Filename, b.pos.Filename),
			cmp.Compare(a.pos.Offset, b.pos.Offset),
			cmp.Compare(a.analyzer.Name, b.analyzer.Name),
			cmp.Compare(a.diag.Message, b.diag.Message),
		)
	})
	return findings
}

// printPosition prints "file:line:col: message", with file relative to
// cwd, and the source lines around it when contextLines is not negative.
func printPosition(w io.Writer, pos, end token.Position, message, cwd string, contextLines int) {
	rel := pos
	rel.Filename = relativePath(pos.Filename, cwd)
	fmt.Fprintf(w, "%s: %s\n", rel, message)
	if contextLines >= 0 {
		printSourceLines(w, pos.Filename, pos.Line-contextLines, max(end.Line, pos.Line)+contextLines)
	}
}

// printSourceLines prints lines from to to (1-based, inclusive) of file,
// each after its number and a tab; those that the file does not have
// are left out.
func printSourceLines(w io.Writer, file string, from, to int) {
	data, err := os.ReadFile(file)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := max(from, 1); i <= min(to, len(lines)); i++ {
		fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
	}
}

// relativePos makes the file name that starts pos ("/abs/a.go:3:9",
// "/abs/a.go:3", "/abs/a.go") relative to cwd, as relativePath does.
func relativePos(pos, cwd string) string {
	file := pos
	for range 2 { // drop ":col", then ":line"
		if i := strings.LastIndexByte(file, ':'); i >= 0 && isDigits(file[i+1:]) {
			file = file[:i]
		}
	}
	return relativePath(file, cwd) + pos[len(file):]
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// relativePath returns file relative to cwd where that is shorter, as go
// vet names files: "a.go" in cwd, "sub/a.go" below it, "../b/a.go" beside
// it, but "/usr/lib/go/src/x.go" far from it.
func relativePath(file, cwd string) string {
	if cwd == "" || !filepath.IsAbs(file) {
		return file
	}
	if rel, err := filepath.Rel(cwd, file); err == nil && len(rel) < len(file) {
		return rel
	}
	return file
}
