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
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces/internal/goversion"
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
	checked  []string              // the packages an incremental run checked again, in dependency order
	reused   int                   // the packages a full load took from the last graph
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

// newerGoError is the error for code that needs a newer Go than the server
// was built with, or than the go command it runs: the user is told once
// which Go and how to install testraces with it.
type newerGoError struct{ m goversion.Mismatch }

func (e *newerGoError) Error() string { return e.m.Message() }

// analyze analyses the package in dir with its tests. With the graph of
// an earlier run, it first tries to re-check only the package against the
// dependencies kept there (see graph); otherwise, or when that cannot be
// done, it loads the package and every dependency from source and runs
// the analyzers on all of them (facts flow up from the dependencies, as
// the command does it). Overlay holds the text of the open documents.
// Early, when not nil, receives the findings of each analysed package as
// soon as they are known (see earlyFunc).
func analyze(ctx context.Context, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer, prev *result, early earlyFunc) (*result, error) {
	why := "first run"
	switch {
	case prev == nil:
	case prev.graph == nil:
		why = prev.noGraph
	default:
		res, next, err := prev.graph.reanalyzeSafely(ctx, overlay, analyzers, early)
		if err == nil {
			res.graph = next
			keepLatest(next)
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		why = err.Error()
	}
	if lctx, ok := ctx.Value(loadContextKey{}).(context.Context); ok {
		ctx = lctx
	}
	var last *graph
	if prev != nil && prev.graph != nil && slices.Equal(analyzers, prev.graph.analyzers) {
		last = prev.graph
	} else {
		last = latestGraph(analyzers)
	}
	res, err := load(ctx, dir, overlay, analyzers, last, early)
	if err != nil {
		return nil, err
	}
	keepLatest(res.graph)
	res.how = "full load (" + why + ")"
	if res.reused > 0 {
		res.how += fmt.Sprintf(", %d packages reused", res.reused)
	}
	return res, nil
}

// lastGraph is the graph of the latest run, of any directory, in this
// process. A directory's first full load takes from it, as later ones do
// from the directory's own last graph, the packages outside the workspace
// that did not change (see graph.reusable): the standard library and the
// module cache are checked once, not again for each package opened in
// the editor. Nothing in a graph's packages outside the workspace is
// written after the run that made it, so two runs may read them at once.
var lastGraph struct {
	mu sync.Mutex
	g  *graph
}

// latestGraph returns lastGraph's graph if its facts are of analyzers.
func latestGraph(analyzers []*analysis.Analyzer) *graph {
	lastGraph.mu.Lock()
	defer lastGraph.mu.Unlock()
	if g := lastGraph.g; g != nil && slices.Equal(analyzers, g.analyzers) {
		return g
	}
	return nil
}

// ForgetChecked drops what the process's runs have checked (lastGraph),
// so that the next directory's first load checks every package again:
// for measuring a new server's start in a process where others ran.
func ForgetChecked() {
	lastGraph.mu.Lock()
	lastGraph.g = nil
	lastGraph.mu.Unlock()
}

// keepLatest makes g, when there is one, lastGraph's.
func keepLatest(g *graph) {
	if g == nil {
		return
	}
	lastGraph.mu.Lock()
	lastGraph.g = g
	lastGraph.mu.Unlock()
}

// loadContextKey is the key of a context value that, when set, is the
// context of the full load analyze may fall back to, in place of its own
// (the server's session's, which a newer run does not cancel).
type loadContextKey struct{}

// load loads the package in dir with its tests and every dependency from
// source and runs the analyzers on it and its dependencies, and converts
// what they find. go list gives the packages; the server parses and
// type-checks them itself, each file once, and runs the analyzers (through
// the driver incremental runs use: see runActions) on each package as
// soon as it is type-checked, dropping the syntax and type information of
// a dependency once its facts are computed: less work and less memory
// than loading every package whole before analysing any.
func load(ctx context.Context, dir string, overlay map[string][]byte, analyzers []*analysis.Analyzer, prev *graph, early earlyFunc) (*result, error) {
	if moduleRoot(dir) == "" {
		return nil, errOutsideModule
	}
	cfg := &packages.Config{
		Context: ctx,
		Dir:     dir,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedDeps | packages.NeedModule | packages.NeedForTest | packages.NeedTypesSizes | packages.NeedEmbedFiles,
		Tests:   true,
		Overlay: overlay,
	}
	pkgs, err := packages.Load(cfg, ".")
	if m, ok := goversion.FromLoadError(err); ok {
		return nil, &newerGoError{m}
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Code newer than this build's type checker reads would fail in
	// every file, and in the newer standard library's own.
	if m, ok := goversion.FromPackages(pkgs); ok {
		return nil, &newerGoError{m}
	}
	res := &result{dir: dir, findings: map[string][]*finding{}, stamp: stampOf(dir, pkgs, overlay)}
	roots := packagesOf(dir, pkgs)
	if len(roots) == 0 {
		res.noGraph = "no package"
		return res, nil
	}

	// Parse and type-check every package the roots depend on, and run
	// the analyzers on each as soon as it is checked.
	src := &sources{dir: dir, content: map[string][]byte{}, overlay: overlay}
	fset := token.NewFileSet()
	all, isLive := liveSet(roots)
	// What the last graph has unchanged outside the workspace is not
	// checked again (see graph.reusable).
	var kept map[actionKey]*depFacts
	if reused := prev.reusable(all, isLive, res.stamp, overlay); len(reused) > 0 {
		fset = prev.fset
		all, kept = prev.substitute(all, reused)
		res.reused = len(reused)
	}
	ready := startChecks(ctx, fset, all, src.parser(fset))
	acts := runActions(ctx, analyzers, roots, all, kept, overlay, ready, func(p *packages.Package) {
		// Only a live package's syntax is needed again, and no
		// package's type information but its types.
		if !isLive[p] {
			p.Syntax = nil
		}
		p.TypesInfo = nil
	}, early.forRoot(src, analyzers))
	for _, ch := range ready {
		<-ch
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var good []*packages.Package
	for _, p := range roots {
		res.files = append(res.files, p.GoFiles...)
		if hasErrors(p) {
			// gopls shows the errors; findings on code that does not
			// compile would only mislead.
			res.broken = append(res.broken, p.GoFiles...)
			continue
		}
		good = append(good, p)
	}
	found := convertAll(&converter{src: src}, analyzers, good, acts)
	res.assemble(len(analyzers), good, found)
	if len(res.broken) == 0 {
		res.graph, res.noGraph = newGraph(dir, good, acts, kept, analyzers, res.stamp, src, found)
	} else {
		res.noGraph = "the last run had errors"
	}
	return res, nil
}

// rootFindings is what each analyzer found in one analysed package, in
// the order of the analyzers.
type rootFindings []analyzerFindings

// analyzerFindings is what one analyzer found in one package, converted,
// or why it failed.
type analyzerFindings struct {
	err      string
	findings []keyedFinding
}

// A keyedFinding is a finding with its file and the key that tells it
// from others (the same diagnostic in two packages is given once).
type keyedFinding struct {
	path, key string
	f         *finding
}

// convert converts what one analyzer found in one package.
func (c *converter) convert(act string, fset *token.FileSet, a *analysis.Analyzer, diags []analysis.Diagnostic, err error) analyzerFindings {
	if err != nil {
		return analyzerFindings{err: fmt.Sprintf("%s: %v", act, err)}
	}
	var out analyzerFindings
	for _, d := range diags {
		if path, key, f := c.finding(fset, a, d); f != nil {
			out.findings = append(out.findings, keyedFinding{path, key, f})
		}
	}
	return out
}

// assemble fills res's findings and errors from what each analyzer found
// in each root, in checker's order (by analyzer, then by root), each
// diagnostic once.
func (res *result) assemble(analyzers int, roots []*packages.Package, found map[*packages.Package]rootFindings) {
	seen := map[string]bool{}
	for i := range analyzers {
		for _, p := range roots {
			af := found[p][i]
			if af.err != "" {
				res.errors = append(res.errors, af.err)
				continue
			}
			for _, kf := range af.findings {
				if !seen[kf.key] {
					seen[kf.key] = true
					res.findings[kf.path] = append(res.findings[kf.path], kf.f)
				}
			}
		}
	}
}

// guarded returns copies of analyzers that turn a panic into an error, so
// that a bug on some unforeseen code costs that package's findings, not
// the editor's session. (The analyzers they require are shared with the
// other drivers and cannot be copied: results are looked up by them.)
// Each analyzer has one copy in a process, so that the graphs of two
// servers, or of two runs given the same analyzers, have facts of the
// same analyzers (see lastGraph).
func guarded(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		g, _ := guardedCopies.LoadOrStore(a, guardedCopy(a))
		out[i] = g.(*analysis.Analyzer)
	}
	return out
}

// guardedCopies holds each analyzer's guarded copy, by the analyzer.
var guardedCopies sync.Map

func guardedCopy(a *analysis.Analyzer) *analysis.Analyzer {
	g := *a
	g.Run = func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return a.Run(pass)
	}
	return &g
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
	overlay map[string][]byte // the open documents' unsaved text
	mu      sync.Mutex        // the loader parses files concurrently
	content map[string][]byte
}

// parse is the loader's ParseFile: go/packages' own, recording content.
func (s *sources) parse(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	if filepath.Dir(filename) == s.dir {
		s.mu.Lock()
		s.content[filename] = src
		s.mu.Unlock()
	}
	// No object resolution: go/types and the analyzers do not read it.
	return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
}

// parser returns a function that parses a file into fset, from the
// overlay or the disk, once however many packages ask for it.
func (s *sources) parser(fset *token.FileSet) func(string) (*ast.File, error) {
	type parsed struct {
		once sync.Once
		f    *ast.File
		err  error
	}
	var mu sync.Mutex
	files := map[string]*parsed{}
	return func(filename string) (*ast.File, error) {
		mu.Lock()
		p := files[filename]
		if p == nil {
			p = &parsed{}
			files[filename] = p
		}
		mu.Unlock()
		p.once.Do(func() {
			data, ok := s.overlay[filename]
			if !ok {
				var err error
				if data, err = os.ReadFile(filename); err != nil {
					p.err = err
					return
				}
			}
			p.f, p.err = s.parse(fset, filename, data)
		})
		return p.f, p.err
	}
}

// file returns the content of filename as analysed, reading files
// outside dir (which a fix may touch) from the overlay or the disk.
func (s *sources) file(filename string) ([]byte, bool) {
	s.mu.Lock()
	data, ok := s.content[filename]
	s.mu.Unlock()
	if ok {
		return data, true
	}
	if data, ok := s.overlay[filename]; ok {
		return data, true
	}
	data, err := os.ReadFile(filename)
	return data, err == nil
}

// A converter turns analysis diagnostics into LSP diagnostics.
type converter struct {
	src     *sources
	mappers map[string]*mapper
}

// finding converts d, returning the file it is in and its key, or a nil
// finding for one whose position is not in a file the server can read.
func (c *converter) finding(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) (string, string, *finding) {
	loc, ok := c.location(fset, d.Pos, d.End)
	if !ok {
		return "", "", nil
	}
	key := fmt.Sprint(a.Name, loc, d.Message)
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
	return uriPath(loc.URI), key, f
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
