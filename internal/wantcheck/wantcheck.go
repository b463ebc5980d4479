// Package wantcheck checks analyzers against a GOPATH-style testdata tree
// as analysistest does (diagnostics and facts against the // want comments,
// fixes against the .golden files), over packages loaded once for many
// checks. analysistest loads the tree, and type-checks the standard
// library it imports from source, at every call: under the race detector
// that is about ten seconds of CPU for a tree that imports net/http, and
// the root package's tests would pay it eight times.
package wantcheck

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/scanner"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Load loads the packages that patterns name in the GOPATH-style tree
// dir, with their tests, and every dependency from source, as analysistest
// does. It fails if a package could not be loaded at all.
func Load(dir string, patterns ...string) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Dir:   filepath.Join(dir, "src"), // so that ./... is the tree's packages
		Tests: true,
		Env:   append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off", "GOFLAGS="),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if p.Name == "" {
			return nil, fmt.Errorf("failed to load %q: %v", p.PkgPath, p.Errors)
		}
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages matched %s", patterns)
	}
	return pkgs, nil
}

// Under returns the packages whose path is dir or lies under it, with the
// variants go list makes of them for their tests.
func Under(pkgs []*packages.Package, dir string) []*packages.Package {
	var under []*packages.Package
	for _, p := range pkgs {
		if p.PkgPath == dir || strings.HasPrefix(p.PkgPath, dir+"/") {
			under = append(under, p)
		}
	}
	return under
}

// Run runs a over roots, which were loaded from the tree dir, and checks
// each root's diagnostics and facts against its // want comments, and,
// when golden is set, its fixes against the .golden files beside the files
// they change: what analysistest.RunWithSuggestedFixes checks, with
// .golden files that hold the whole fixed file.
func Run(t testing.TB, dir string, a *analysis.Analyzer, roots []*packages.Package, golden bool) {
	t.Helper()
	if len(roots) == 0 {
		t.Fatalf("no packages to check %s on", a.Name)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, roots, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("analyzing %s: %v", act, act.Err)
			continue
		}
		checkWants(t, dir, act)
		if golden {
			checkFixes(t, act)
		}
	}
}

// expectation is one item of a // want comment: a diagnostic, or a fact
// of the object called name ("package" for the package's facts), whose
// text rx must match.
type expectation struct {
	fact bool
	name string
	rx   *regexp.Regexp
}

func (e expectation) kind() string {
	if e.fact {
		return "fact"
	}
	return "diagnostic"
}

type line struct {
	file string
	line int
}

// checkWants matches the diagnostics and facts of act, one to one, with
// the expectations of its files' // want comments.
func checkWants(t testing.TB, dir string, act *checker.Action) {
	t.Helper()
	fset := act.Package.Fset
	want := make(map[line][]expectation)
	for _, f := range act.Package.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := wantText(c.Text)
				if !ok {
					continue
				}
				posn := fset.Position(c.Pos())
				file := relative(dir, posn.Filename)
				delta, expects, err := parseWant(text)
				if err != nil {
					t.Errorf("%s:%d: in 'want' comment: %v", file, posn.Line, err)
					continue
				}
				k := line{file, posn.Line + delta}
				want[k] = append(want[k], expects...)
			}
		}
	}

	match := func(posn token.Position, fact bool, name, message string) {
		t.Helper()
		k := line{relative(dir, posn.Filename), posn.Line}
		var tried []string
		for i, exp := range want[k] {
			if exp.fact != fact || exp.name != name {
				continue
			}
			if exp.rx.MatchString(message) {
				want[k] = slices.Delete(want[k], i, i+1)
				return
			}
			tried = append(tried, fmt.Sprintf("%#q", exp.rx))
		}
		kind := expectation{fact: fact}.kind()
		if tried == nil {
			t.Errorf("%s:%d: unexpected %s: %s", k.file, k.line, kind, message)
		} else {
			t.Errorf("%s:%d: %s %q does not match pattern %s", k.file, k.line, kind, message, strings.Join(tried, " or "))
		}
	}
	for _, d := range act.Diagnostics {
		match(fset.Position(d.Pos), false, "", d.Message)
	}
	for _, pf := range act.AllPackageFacts() {
		if pf.Package == act.Package.Types {
			posn := fset.Position(act.Package.Syntax[0].Pos())
			posn.Line = 1
			match(posn, true, "package", fmt.Sprint(pf))
		}
	}
	facts := act.AllObjectFacts()
	slices.SortFunc(facts, func(x, y analysis.ObjectFact) int { return cmp.Compare(x.Object.Pos(), y.Object.Pos()) })
	for _, of := range facts {
		if of.Object.Pkg() == act.Package.Types {
			match(fset.Position(of.Object.Pos()), true, of.Object.Name(), fmt.Sprint(of.Fact))
		}
	}

	var surplus []string
	for k, expects := range want {
		for _, exp := range expects {
			surplus = append(surplus, fmt.Sprintf("%s:%d: no %s was reported matching %#q", k.file, k.line, exp.kind(), exp.rx))
		}
	}
	slices.Sort(surplus)
	for _, s := range surplus {
		t.Error(s)
	}
}

// wantText returns what follows "want" in a comment that is an
// expectation, as analysistest reads it: a comment that starts with want,
// or that holds "// want" (a comment on a comment).
func wantText(comment string) (string, bool) {
	text := strings.TrimPrefix(comment, "//")
	if text == comment {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
	}
	if i := strings.Index(text, "// want"); i >= 0 {
		text = text[i+len("// "):]
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
	if !ok {
		return "", false
	}
	return rest, true
}

// parseWant parses the items of a want comment: "rx" (a diagnostic),
// name:"rx" (a fact), and +N, which moves them N lines down.
func parseWant(text string) (delta int, expects []expectation, err error) {
	var scanErr string
	sc := new(scanner.Scanner).Init(strings.NewReader(text))
	sc.Error = func(_ *scanner.Scanner, msg string) { scanErr = msg }
	sc.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	pattern := func(tok rune) (*regexp.Regexp, error) {
		if tok != scanner.String && tok != scanner.RawString {
			return nil, fmt.Errorf("got %s, want regular expression", scanner.TokenString(tok))
		}
		s, _ := strconv.Unquote(sc.TokenText())
		return regexp.Compile(s)
	}
	for {
		switch tok := sc.Scan(); tok {
		case '+':
			if sc.Scan() != scanner.Int {
				return 0, nil, fmt.Errorf("got +%s, want +Int", sc.TokenText())
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			rx, err := pattern(tok)
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{rx: rx})
		case scanner.Ident:
			name := sc.TokenText()
			if sc.Scan() != ':' {
				return 0, nil, fmt.Errorf("got %s after %s, want ':'", sc.TokenText(), name)
			}
			rx, err := pattern(sc.Scan())
			if err != nil {
				return 0, nil, err
			}
			expects = append(expects, expectation{fact: true, name: name, rx: rx})
		case scanner.EOF:
			if scanErr != "" {
				return 0, nil, fmt.Errorf("%s", scanErr)
			}
			return delta, expects, nil
		default:
			return 0, nil, fmt.Errorf("unexpected %s", scanner.TokenString(tok))
		}
	}
}

// edit is a text edit of a fix, in byte offsets of its file.
type edit struct {
	start, end int
	text       string
}

// checkFixes applies every fix that act suggests, in the files they
// change (a fix of a generated file aside), and checks each result,
// formatted, against the file's .golden file.
func checkFixes(t testing.TB, act *checker.Action) {
	t.Helper()
	fset := act.Package.Fset
	generated := make(map[*token.File]bool)
	for _, f := range act.Package.Syntax {
		generated[fset.File(f.Pos())] = ast.IsGenerated(f)
	}
	edits := make(map[string][]edit)
	for _, d := range act.Diagnostics {
	fixes:
		for _, fix := range d.SuggestedFixes {
			for _, e := range fix.TextEdits {
				if generated[fset.File(e.Pos)] {
					continue fixes
				}
			}
			for _, e := range fix.TextEdits {
				file := fset.File(e.Pos)
				end := e.End
				if !end.IsValid() {
					end = e.Pos
				}
				edits[file.Name()] = append(edits[file.Name()], edit{file.Offset(e.Pos), file.Offset(end), string(e.NewText)})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(edits)) {
		if err := compareGolden(name, edits[name]); err != nil {
			t.Error(err)
		}
	}
}

// compareGolden applies edits to the file name and compares the result,
// formatted, with name.golden, formatted too. Edits that two diagnostics
// share (the same import added twice) apply once; edits that overlap
// otherwise are a conflict.
func compareGolden(name string, edits []edit) error {
	original, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	want, err := os.ReadFile(name + ".golden")
	if err != nil {
		return fmt.Errorf("%s has fixes but no golden file: %v", name, err)
	}
	slices.SortStableFunc(edits, func(x, y edit) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.end, y.end))
	})
	edits = slices.Compact(edits)
	var fixed bytes.Buffer
	last := 0
	for i, e := range edits {
		twoInsertions := i > 0 && e.start == e.end && edits[i-1].start == e.start && edits[i-1].end == e.start
		if e.start < last || twoInsertions {
			return fmt.Errorf("%s: conflicting fixes at offset %d", name, e.start)
		}
		fixed.Write(original[last:e.start])
		fixed.WriteString(e.text)
		last = e.end
	}
	fixed.Write(original[last:])
	got, err := format.Source(fixed.Bytes())
	if err != nil {
		return fmt.Errorf("%s: the fixed file does not format: %v\n%s", name, err, fixed.Bytes())
	}
	if want, err = format.Source(want); err != nil {
		return fmt.Errorf("%s.golden does not format: %v", name, err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		return fmt.Errorf("%s: the fixes give, at %s\n%s", name, firstDifference(got, want), got)
	}
	return nil
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n\t%s\nwhere the golden file has\n\t%s\nThe fixed file:", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("line %d, a different length (%d lines, the golden file %d). The fixed file:", min(len(g), len(w))+1, len(g), len(w))
}

// relative names a file by its path under the tree's src directory, as
// want comments and messages show it.
func relative(dir, file string) string {
	return filepath.ToSlash(strings.TrimPrefix(file, filepath.Join(dir, "src")+string(filepath.Separator)))
}
