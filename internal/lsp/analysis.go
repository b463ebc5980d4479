package lsp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A result is what one run found in the package of one directory: its
// files, and each file's findings.
type result struct {
	dir      string
	files    []string              // every Go file of the package and its tests
	findings map[string][]*finding // by file; files with errors have none
	broken   []string              // files of packages with errors, which are not analysed
	versions map[string]int32      // the version of each open document the run read
	stamp    stamp                 // the files the load read, to tell whether a later run would see the same
	errors   []string              // analyzers that failed, and why
	graph    *graph                // what the next run may reuse, or nil
	noGraph  string                // why there is none
	how      string                // how the run went about it, for the log
}

// A finding is a diagnostic in LSP terms and its suggested fixes.
type finding struct {
	diag  Diagnostic
	fixes []quickFix
}

// A quickFix is a suggested fix as edits by file.
type quickFix struct {
	title string
	edits map[string][]TextEdit // by file path
}

// errOutsideModule is the error for a directory that no go.mod governs.
var errOutsideModule = errors.New("not in a Go module")

// analyze analyses the package in dir with its tests. With the graph of
// an earlier run, it first tries to re-check only the package against the
// dependencies kept there (see graph); otherwise, or when that cannot be
// done, it loads the package and every dependency from source and runs
// the analyzers on all of them (facts flow up from the dependencies, as
// the command does it). Overlay holds the text of the open documents.
func analyze(ctx context.Context, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer, prev *result) (*result, error) {
	why := "first run"
	switch {
	case prev == nil:
	case prev.graph == nil:
		why = prev.noGraph
	default:
		res, next, err := prev.graph.reanalyzeSafely(ctx, overlay, analyzers)
		if err == nil {
			res.graph = next
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		why = err.Error()
	}
	res, err := load(ctx, dir, overlay, analyzers)
	if err != nil {
		return nil, err
	}
	res.how = "full load (" + why + ")"
	return res, nil
}

// load loads the package in dir with its tests and every dependency from
// source, runs the analyzers on it and its dependencies, and converts
// what they find.
func load(ctx context.Context, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer) (*result, error) {
	if moduleRoot(dir) == "" {
		return nil, errOutsideModule
	}
	listing := listDir(dir)
	src := &sources{dir: dir, content: map[string][]byte{}}
	cfg := &packages.Config{
		Context:   ctx,
		Dir:       dir,
		Mode:      packages.LoadAllSyntax | packages.NeedModule,
		Tests:     true,
		Overlay:   overlay,
		ParseFile: src.parse,
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &result{dir: dir, findings: map[string][]*finding{}, stamp: stampOf(pkgs, overlay)}
	var good []*packages.Package
	for _, p := range packagesOf(dir, pkgs) {
		res.files = append(res.files, p.GoFiles...)
		if hasErrors(p) {
			// gopls shows the errors; findings on code that does not
			// compile would only mislead.
			res.broken = append(res.broken, p.GoFiles...)
			continue
		}
		good = append(good, p)
	}
	if len(good) == 0 {
		res.noGraph = "the last run had errors"
		return res, nil
	}
	acts, err := checker.Analyze(analyzers, good, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conv := &converter{src: src, seen: map[string]bool{}}
	for _, act := range acts.Roots {
		res.add(conv, act.String(), act.Package.Fset, act.Analyzer, act.Diagnostics, act.Err)
	}
	if len(res.broken) == 0 {
		res.graph, res.noGraph = newGraph(dir, listing, good, acts, analyzers, res.stamp)
	} else {
		res.noGraph = "the last run had errors"
	}
	return res, nil
}

// add records what one analyzer found in one package, or why it failed.
func (res *result) add(conv *converter, act string, fset *token.FileSet, a *analysis.Analyzer, diags []analysis.Diagnostic, err error) {
	if err != nil {
		res.errors = append(res.errors, fmt.Sprintf("%s: %v", act, err))
		return
	}
	for _, d := range diags {
		if path, f := conv.finding(fset, a, d); f != nil {
			res.findings[path] = append(res.findings[path], f)
		}
	}
}

// guarded returns copies of analyzers that turn a panic into an error, so
// that a bug on some unforeseen code costs that package's findings, not
// the editor's session. (The analyzers they require are shared with the
// other drivers and cannot be copied: results are looked up by them.)
func guarded(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		g := *a
		g.Run = func(pass *analysis.Pass) (res any, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return a.Run(pass)
		}
		out[i] = &g
	}
	return out
}

// moduleRoot returns the directory of the go.mod that governs dir, or ""
// when there is none.
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// packagesOf returns the packages whose files are in dir, one for each
// set of files: the package compiled with its tests stands in for the
// package alone (it has the same files and more), and the generated test
// main is left out (its file is in the build cache).
func packagesOf(dir string, pkgs []*packages.Package) []*packages.Package {
	withTests := map[string]bool{}
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			withTests[p.PkgPath] = true
		}
	}
	var out []*packages.Package
	for _, p := range pkgs {
		if !slices.ContainsFunc(p.GoFiles, func(f string) bool { return filepath.Dir(f) == dir }) {
			continue
		}
		if p.ForTest == "" && withTests[p.PkgPath] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// hasErrors reports whether p failed to list, parse or type-check,
// itself or through a dependency.
func hasErrors(p *packages.Package) bool {
	return len(p.Errors) > 0 || len(p.TypeErrors) > 0 || p.IllTyped
}

// sources records the content of the files in dir as the loader parses
// them, so that positions convert against exactly the text that was
// analysed, whatever happened to the files since.
type sources struct {
	dir     string
	mu      sync.Mutex // the loader parses files concurrently
	content map[string][]byte
}

// parse is the loader's ParseFile: go/packages' own, recording content.
func (s *sources) parse(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if filepath.Dir(filename) == s.dir {
		s.mu.Lock()
		s.content[filename] = src
		s.mu.Unlock()
	}
	return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments)
}

// file returns the content of filename as analysed, reading files
// outside dir (which a fix may touch) from disk.
func (s *sources) file(filename string) ([]byte, bool) {
	s.mu.Lock()
	data, ok := s.content[filename]
	s.mu.Unlock()
	if ok {
		return data, true
	}
	data, err := os.ReadFile(filename)
	return data, err == nil
}

// A converter turns analysis diagnostics into LSP diagnostics.
type converter struct {
	src     *sources
	mappers map[string]*mapper
	seen    map[string]bool // diagnostics already converted, by key
}

// finding converts d, returning the file it is in, or a nil finding for
// a diagnostic already seen (a file in two packages) or one whose
// position is not in a file the server can read.
func (c *converter) finding(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) (string, *finding) {
	loc, ok := c.location(fset, d.Pos, d.End)
	if !ok {
		return "", nil
	}
	key := fmt.Sprint(a.Name, loc, d.Message)
	if c.seen[key] {
		return "", nil
	}
	c.seen[key] = true
	diag := Diagnostic{
		Range:    loc.Range,
		Severity: SeverityWarning,
		Code:     code(a, d),
		Source:   "testraces",
		Message:  d.Message,
	}
	if href := docURL(a, d); href != "" {
		diag.CodeDescription = &CodeDescription{Href: href}
	}
	for _, r := range d.Related {
		if rloc, ok := c.location(fset, r.Pos, r.End); ok {
			diag.RelatedInformation = append(diag.RelatedInformation, DiagnosticRelatedInformation{Location: rloc, Message: r.Message})
		}
	}
	f := &finding{diag: diag}
	for _, sf := range d.SuggestedFixes {
		if qf, ok := c.quickFix(fset, sf); ok {
			f.fixes = append(f.fixes, qf)
		}
	}
	return uriPath(loc.URI), f
}

// quickFix converts a suggested fix, failing when an edit is in a file
// the server cannot read.
func (c *converter) quickFix(fset *token.FileSet, sf analysis.SuggestedFix) (quickFix, bool) {
	qf := quickFix{title: sf.Message, edits: map[string][]TextEdit{}}
	for _, e := range sf.TextEdits {
		loc, ok := c.location(fset, e.Pos, e.End)
		if !ok {
			return quickFix{}, false
		}
		qf.edits[uriPath(loc.URI)] = append(qf.edits[uriPath(loc.URI)], TextEdit{Range: loc.Range, NewText: string(e.NewText)})
	}
	return qf, len(qf.edits) > 0
}

// location converts a range of token positions. It uses the file a
// position is in, not a //line directive's, as the editor shows that one.
func (c *converter) location(fset *token.FileSet, pos, end token.Pos) (Location, bool) {
	tf := fset.File(pos)
	if tf == nil {
		return Location{}, false
	}
	if !end.IsValid() || fset.File(end) != tf || end < pos {
		end = pos
	}
	m, ok := c.mapper(tf.Name())
	if !ok || tf.Size() != len(m.content) {
		return Location{}, false // the content is not what was parsed
	}
	return Location{
		URI:   pathURI(tf.Name()),
		Range: Range{Start: m.position(tf.Offset(pos)), End: m.position(tf.Offset(end))},
	}, true
}

func (c *converter) mapper(filename string) (*mapper, bool) {
	if m, ok := c.mappers[filename]; ok {
		return m, true
	}
	data, ok := c.src.file(filename)
	if !ok {
		return nil, false
	}
	if c.mappers == nil {
		c.mappers = map[string]*mapper{}
	}
	m := newMapper(data)
	c.mappers[filename] = m
	return m, true
}

// code is a diagnostic's LSP code: its category, the kind of finding, or
// the analyzer's name when it has none.
func code(a *analysis.Analyzer, d analysis.Diagnostic) string {
	if d.Category != "" {
		return d.Category
	}
	return a.Name
}

// docURL is where the finding is explained: the analyzer's URL with the
// category as its anchor (the README has a section for each).
func docURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	if a.URL == "" || d.Category == "" {
		return a.URL
	}
	base, _, _ := strings.Cut(a.URL, "#")
	return base + "#" + d.Category
}
