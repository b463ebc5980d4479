package lsp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// A graph is what a run keeps for the runs after it: every package the
// analysed packages of a directory (the roots) depend on, with its types
// and the facts the analyzers computed for it, and the syntax of the
// packages that a later run may check again (the live ones: the roots,
// the packages of the workspace, and every package that imports one of
// them, such as a package that a test of the root imports and that
// imports the root itself).
//
// When only Go files of live packages changed, and those kept their
// imports and build constraints (so that the import graph is the same),
// a run parses the changed files again, type-checks the packages that
// have them and every live package that imports one of those, in
// dependency order, against the kept types of everything else, and runs
// the analyzers on them alone, with the facts of everything else as a
// full run would give them: facts are computed again for exactly the
// packages checked again, and the findings of a root not checked again
// are the last run's. A full load that follows takes from it the
// packages outside the workspace that did not change (see reusable). A
// graph is not changed once made; a run that reuses one makes another,
// and the server keeps only the last.
type graph struct {
	dir       string
	analyzers []*analysis.Analyzer // the analyzers the facts are of
	fset      *token.FileSet       // shared with the dependencies' positions
	roots     []*packages.Package  // the analysed packages of dir, as packagesOf orders them
	live      []*packages.Package  // the packages a run may check again, in dependency order
	cgo       map[*packages.Package]string
	files     map[string][]*packages.Package // live packages by compiled Go file
	headers   map[string]string              // by file of a live package, what decides its package: see header
	listings  map[string][]string            // by directory of a live package, its names
	facts     map[actionKey]*depFacts        // of every package
	byID      map[string]*packages.Package   // every package, for the next full load to reuse
	found     map[*packages.Package]rootFindings
	src       *sources // the roots' files as parsed
	stamp     stamp
}

type actionKey struct {
	a   *analysis.Analyzer
	pkg *packages.Package
}

// depFacts is what an analyzer's action on a package left for an action
// on a package that imports it.
type depFacts struct {
	name         string // the action, for "failed prerequisites"
	err          error
	objectFacts  []analysis.ObjectFact // those an importer inherits
	packageFacts []analysis.PackageFact
}

// newGraph returns the graph to keep from a full load whose analysed
// packages are roots, or nil, with why, when later runs cannot reuse it:
// a package of dir failed to load or compile, or has no syntax.
func newGraph(dir string, roots []*packages.Package, acts []*action, reusedFacts map[actionKey]*depFacts, analyzers []*analysis.Analyzer, st stamp, src *sources, found map[*packages.Package]rootFindings) (*graph, string) {
	if len(roots) == 0 {
		return nil, "no package"
	}
	g := &graph{
		dir:       dir,
		analyzers: analyzers,
		fset:      roots[0].Fset,
		roots:     roots,
		cgo:       map[*packages.Package]string{},
		files:     map[string][]*packages.Package{},
		headers:   map[string]string{},
		listings:  map[string][]string{},
		facts:     map[actionKey]*depFacts{},
		byID:      map[string]*packages.Package{},
		found:     found,
		src:       src,
		stamp:     st,
	}
	isRoot := map[*packages.Package]bool{}
	for _, p := range roots {
		if hasErrors(p) {
			return nil, p.ID + " has errors"
		}
		isRoot[p] = true
	}
	all, isLive := liveSet(roots)
	for _, p := range all {
		if isLive[p] {
			g.live = append(g.live, p)
		}
	}
	for _, p := range g.live {
		if p.Fset != g.fset || len(p.Syntax) != len(p.CompiledGoFiles) {
			if isRoot[p] {
				return nil, p.ID + " has no syntax for some file"
			}
			g.cgo[p] = "has no syntax for some file"
			continue
		}
		if !slices.Equal(p.GoFiles, p.CompiledGoFiles) {
			g.cgo[p] = "uses cgo"
			continue
		}
		for i, f := range p.Syntax {
			name := p.CompiledGoFiles[i]
			h, ok := header(f)
			if !ok {
				g.cgo[p] = "uses cgo"
				break
			}
			g.headers[name] = h
			g.files[name] = append(g.files[name], p)
			if d := filepath.Dir(name); g.listings[d] == nil {
				g.listings[d] = listDir(d)
			}
		}
	}
	for _, p := range roots {
		if why := g.cgo[p]; why != "" {
			return nil, p.ID + " " + why
		}
	}
	// The facts of every package: an incremental run reads those of the
	// packages the live ones import, and a full load those of every
	// package it reuses.
	maps.Copy(g.facts, reusedFacts)
	for _, act := range acts {
		if len(act.a.FactTypes) > 0 {
			g.facts[actionKey{act.a, act.pkg}] = act.kept()
		}
	}
	// Only the live packages' syntax is needed again, and no package's
	// type information but its types. (A package reused from the last
	// graph has neither already, and may be read by a run of it.)
	for _, p := range all {
		g.byID[p.ID] = p
		if p.TypesInfo != nil {
			p.TypesInfo = nil
		}
		if !isLive[p] && p.Syntax != nil {
			p.Syntax = nil
		}
	}
	return g, ""
}

// reusable returns, for the packages of a new full load (all, in
// dependency order, with isLive and the stamp st of what the load read),
// those that it can take from g as they are, with their types and facts,
// instead of checking them again: the packages outside the workspace
// that g has under the same ID, with the same files, unchanged since g's
// load (by what a stamp records of them) and not open in the editor, the
// same Go version, that import only packages taken too.
// A full load that follows an import added, or a file added, then checks
// the standard library and the module cache's packages only once.
func (g *graph) reusable(all []*packages.Package, isLive map[*packages.Package]bool, st stamp, overlay map[string][]byte) map[*packages.Package]*packages.Package {
	if g == nil {
		return nil
	}
	wasLive := map[string]bool{}
	for _, p := range g.live {
		wasLive[p.ID] = true
	}
	reused := map[*packages.Package]*packages.Package{}
	for _, p := range all {
		q := g.byID[p.ID]

		if isLive[p] || q == nil || wasLive[p.ID] || q.IllTyped || q.Types == nil || len(p.Errors) > 0 ||
			!slices.Equal(p.CompiledGoFiles, q.CompiledGoFiles) || len(p.Imports) != len(q.Imports) || goVersion(p) != goVersion(q) {
			continue
		}
		same := st.unchangedSince(g.stamp, p, overlay)
		for path, imp := range p.Imports {
			same = same && reused[imp] != nil && reused[imp] == q.Imports[path]
		}
		if same {
			reused[p] = q
		}
	}
	return reused
}

// goVersion is the Go version a package is type-checked for: its
// module's go line.
func goVersion(p *packages.Package) string {
	if p.Module == nil {
		return ""
	}
	return p.Module.GoVersion
}

// substitute puts the packages reused from g in the place of those of a
// new load that they stand for, in the imports of the others, and
// returns the others (what the load checks, in dependency order) and the
// facts of the reused packages.
func (g *graph) substitute(all []*packages.Package, reused map[*packages.Package]*packages.Package) ([]*packages.Package, map[actionKey]*depFacts) {
	var again []*packages.Package
	taken := map[*packages.Package]bool{}
	for _, p := range all {
		if q := reused[p]; q != nil {
			taken[q] = true
			continue
		}
		for path, imp := range p.Imports {
			if q := reused[imp]; q != nil {
				p.Imports[path] = q
			}
		}
		again = append(again, p)
	}
	facts := map[actionKey]*depFacts{}
	for k, df := range g.facts {
		if taken[k.pkg] {
			facts[k] = df
		}
	}
	return again, facts
}

// liveSet returns every package roots depend on, roots included, in
// dependency order, and which of them are live: the roots, the packages of
// the workspace's modules, and every package that imports a live one.
func liveSet(roots []*packages.Package) ([]*packages.Package, map[*packages.Package]bool) {
	isRoot := map[*packages.Package]bool{}
	for _, p := range roots {
		isRoot[p] = true
	}
	var all []*packages.Package
	isLive := map[*packages.Package]bool{}
	packages.Visit(roots, nil, func(p *packages.Package) {
		all = append(all, p)
		live := isRoot[p] || p.Module != nil && p.Module.Main
		for _, imp := range p.Imports {
			live = live || isLive[imp]
		}
		if live {
			isLive[p] = true
		}
	})
	return all, isLive
}

// kept returns what act leaves for the packages that import its
// package: the object facts they inherit, as checker filters them, and
// every package fact.
func (act *action) kept() *depFacts {
	df := &depFacts{name: act.String(), err: act.err, packageFacts: act.allPackageFacts()}
	for k, f := range act.objectFacts {
		if exportedFrom(k.obj, act.pkg.Types) {
			df.objectFacts = append(df.objectFacts, analysis.ObjectFact{Object: k.obj, Fact: f})
		}
	}
	return df
}

// header is what of a file decides which package go list puts it in and
// what that package imports: its package clause, its imports, and its
// directives (build constraints, embeds). It fails for a file that
// imports "C".
func header(f *ast.File) (string, bool) {
	var b strings.Builder
	b.WriteString(f.Name.Name)
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return "", false
		}
		b.WriteString("\n")
		if imp.Name != nil {
			b.WriteString(imp.Name.Name + " ")
		}
		b.WriteString(imp.Path.Value)
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "// +build") {
				b.WriteString("\n" + c.Text)
			}
		}
	}
	return b.String(), true
}

// listDir returns the names in dir, nil if it cannot be read.
func listDir(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

// errFallBack wraps why a run cannot reuse a graph.
type errFallBack struct{ why string }

func (e *errFallBack) Error() string { return e.why }

func fallBack(format string, args ...any) error {
	return &errFallBack{fmt.Sprintf(format, args...)}
}

// reanalyze analyses g's roots again, checking again only what changed
// and what depends on it (see graph). It fails with an *errFallBack when
// it cannot, with the context's error when that is done.
func (g *graph) reanalyze(ctx context.Context, overlay map[string][]byte, analyzers []*analysis.Analyzer, early earlyFunc) (_ *result, _ *graph, err error) {
	if !slices.Equal(analyzers, g.analyzers) {
		return nil, nil, fallBack("other analyzers")
	}
	changed, ok := g.stamp.changes(overlay)
	if !ok {
		return nil, nil, fallBack("nothing recorded")
	}
	dirty := map[*packages.Package]bool{}
	var files []string // the Go files to parse again
	for _, path := range changed {
		if old, ok := g.listings[path]; ok {
			if !slices.Equal(listDir(path), old) {
				return nil, nil, fallBack("files added to or removed from %s", path)
			}
			continue
		}
		pkgs := g.files[path]
		if len(pkgs) == 0 {
			if _, read := g.stamp.files[path]; !read {
				return nil, nil, fallBack("a new file, %s", path)
			}
			return nil, nil, fallBack("%s changed", path)
		}
		files = append(files, path)
		for _, p := range pkgs {
			dirty[p] = true
		}
	}

	// What to check again: the packages whose files changed and every
	// live package that imports one of them, in dependency order.
	redo := map[*packages.Package]bool{}
	var order []*packages.Package
	for _, p := range g.live {
		again := dirty[p]
		for _, imp := range p.Imports {
			again = again || redo[imp]
		}
		if !again {
			continue
		}
		if why := g.cgo[p]; why != "" {
			return nil, nil, fallBack("%s %s", p.ID, why)
		}
		redo[p] = true
		order = append(order, p)
	}

	// Parse the changed files. What this run adds to the file set is
	// taken out again if it fails.
	src := &sources{dir: g.dir, content: map[string][]byte{}, overlay: overlay}
	for name, data := range g.src.content {
		if !slices.Contains(files, name) {
			src.content[name] = data
		}
	}
	parsed := map[string]*ast.File{}
	defer func() {
		if err != nil {
			for _, f := range parsed {
				if tf := g.fset.File(f.FileStart); tf != nil {
					g.fset.RemoveFile(tf)
				}
			}
		}
	}()
	for _, name := range files {
		data, ok := overlay[name]
		if !ok {
			var err error
			if data, err = os.ReadFile(name); err != nil {
				return nil, nil, fallBack("%v", err)
			}
		}
		f, err := src.parse(g.fset, name, data)
		if f != nil {
			parsed[name] = f
		}
		if err != nil {
			return nil, nil, fallBack("%s does not parse", name)
		}
		if h, _ := header(f); h != g.headers[name] {
			return nil, nil, fallBack("the imports or build constraints of %s changed", name)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}

	// Type-check them, in dependency order, each as soon as what it
	// imports is done.
	renewed := map[*packages.Package]*packages.Package{}
	for _, old := range order {
		p := *old
		p.Imports = map[string]*packages.Package{}
		for path, imp := range old.Imports {
			if redo[imp] {
				imp = renewed[imp]
			}
			p.Imports[path] = imp
		}
		p.Syntax = slices.Clone(old.Syntax)
		for i, name := range old.CompiledGoFiles {
			if f := parsed[name]; f != nil {
				p.Syntax[i] = f
			}
		}
		renewed[old] = &p
	}
	var again []*packages.Package
	for _, p := range order {
		again = append(again, renewed[p])
	}
	ready := startChecks(ctx, g.fset, again, nil)

	next := &graph{
		dir:       g.dir,
		analyzers: g.analyzers,
		fset:      g.fset,
		cgo:       g.cgo,
		files:     map[string][]*packages.Package{},
		headers:   g.headers,
		listings:  g.listings,
		facts:     map[actionKey]*depFacts{},
		byID:      g.byID, // the live packages in it are never reused
		found:     map[*packages.Package]rootFindings{},
		src:       src,
		stamp:     g.stamp.with(changed, overlay),
	}
	renew := func(p *packages.Package) *packages.Package {
		if q := renewed[p]; q != nil {
			return q
		}
		return p
	}
	for _, p := range g.roots {
		next.roots = append(next.roots, renew(p))
		if !redo[p] {
			next.found[p] = g.found[p]
		}
	}
	for _, p := range g.live {
		next.live = append(next.live, renew(p))
	}
	for name, pkgs := range g.files {
		for _, p := range pkgs {
			next.files[name] = append(next.files[name], renew(p))
		}
	}
	for k, df := range g.facts {
		if !redo[k.pkg] {
			next.facts[k] = df
		}
	}
	acts := runActions(ctx, g.analyzers, next.roots, again, next.facts, overlay, ready, nil, early.forRoot(src, g.analyzers))
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	for _, p := range again {
		if hasErrors(p) {
			return nil, nil, fallBack("%s does not type-check: %v", p.ID, firstError(p))
		}
	}

	res := &result{dir: g.dir, findings: map[string][]*finding{}, stamp: next.stamp, how: "incremental"}
	for _, p := range again {
		res.checked = append(res.checked, p.ID)
	}
	if len(again) == 0 {
		res.how += " (nothing to check again)"
	} else {
		res.how += " (checked again: " + strings.Join(res.checked, ", ") + ")"
	}
	for _, act := range acts {
		if len(act.a.FactTypes) > 0 {
			next.facts[actionKey{act.a, act.pkg}] = act.kept()
		}
	}
	maps.Copy(next.found, convertAll(&converter{src: src}, g.analyzers, next.roots, acts))
	for _, p := range next.roots {
		res.files = append(res.files, p.GoFiles...)
	}
	res.assemble(len(g.analyzers), next.roots, next.found)
	for _, p := range again {
		p.TypesInfo = nil
	}
	return res, next, nil
}

// startChecks parses and type-checks the packages of order (in
// dependency order) concurrently, each as soon as those it imports in
// order are done, the others' types being complete, and returns, by
// package, a channel closed when it is done. A package whose Syntax is
// nil is parsed with parse, a nil entry of its Syntax a file to parse
// there; one that fails to parse or type-check, or imports one that does,
// is IllTyped, with its errors.
func startChecks(ctx context.Context, fset *token.FileSet, order []*packages.Package, parse func(string) (*ast.File, error)) map[*packages.Package]chan struct{} {
	done := map[*packages.Package]chan struct{}{}
	for _, p := range order {
		done[p] = make(chan struct{})
	}
	limit := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, p := range order {
		go func() {
			defer close(done[p])
			for _, imp := range p.Imports {
				if ch := done[imp]; ch != nil {
					<-ch
				}
			}
			for _, imp := range p.Imports {
				if imp.IllTyped || imp.Types == nil || !imp.Types.Complete() {
					p.IllTyped = true
					return
				}
			}
			if ctx.Err() != nil || len(p.Errors) > 0 {
				p.IllTyped = true
				return
			}
			limit <- struct{}{}
			defer func() { <-limit }()
			if p.Syntax == nil && len(p.CompiledGoFiles) > 0 {
				p.Syntax = make([]*ast.File, len(p.CompiledGoFiles))
			}
			for i, f := range p.Syntax {
				if f != nil {
					continue
				}
				f, err := parse(p.CompiledGoFiles[i])
				if err != nil {
					p.Errors = append(p.Errors, packages.Error{Pos: p.CompiledGoFiles[i], Msg: err.Error(), Kind: packages.ParseError})
				}
				p.Syntax[i] = f
			}
			if len(p.Errors) > 0 {
				p.IllTyped = true
				return
			}
			checkPackage(fset, p)
		}()
	}
	return done
}

// checkPackage type-checks p's syntax against its imports' types, as
// go/packages does, recording the errors.
func checkPackage(fset *token.FileSet, p *packages.Package) {
	p.Fset = fset
	// The maps sized from the source's length, as go/types fills them
	// (about an expression in 8 bytes, a use in 20): growing them was a
	// seventh of a first load's time.
	size := 0
	for _, f := range p.Syntax {
		size += int(f.FileEnd - f.FileStart)
	}
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue, size/8),
		Defs:         make(map[*ast.Ident]types.Object, size/40),
		Uses:         make(map[*ast.Ident]types.Object, size/20),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope, size/200),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection, size/60),
		FileVersions: make(map[*ast.File]string, len(p.Syntax)),
	}
	if p.PkgPath == "unsafe" {
		p.Types = types.Unsafe
		return
	}
	p.Types = types.NewPackage(p.PkgPath, p.Name)
	p.TypeErrors = nil
	tc := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if imp := p.Imports[path]; imp != nil && imp.Types != nil && imp.Types.Complete() {
				return imp.Types, nil
			}
			return nil, fmt.Errorf("no metadata for %s", path)
		}),
		Error: func(err error) {
			if terr, ok := err.(types.Error); ok {
				p.TypeErrors = append(p.TypeErrors, terr)
			} else {
				p.Errors = append(p.Errors, packages.Error{Msg: err.Error(), Kind: packages.TypeError})
			}
		},
		Sizes: p.TypesSizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	_ = types.NewChecker(tc, fset, p.Types, p.TypesInfo).Files(p.Syntax)
	p.IllTyped = len(p.TypeErrors) > 0 || len(p.Errors) > 0
}

// firstError returns the first of p's errors, or why it has none of its
// own.
func firstError(p *packages.Package) error {
	switch {
	case len(p.Errors) > 0:
		return p.Errors[0]
	case len(p.TypeErrors) > 0:
		return p.TypeErrors[0]
	}
	return errors.New("a package it imports has errors")
}

// release drops from the shared file set the files of g's live packages
// that next, which replaced g (or was given up for it), does not have:
// each incremental run adds the changed files again, and nothing reads
// the positions of the one given up.
func (g *graph) release(next *graph) {
	if next == g || next == nil || next.fset != g.fset {
		return
	}
	keep := map[*token.File]bool{}
	for _, p := range next.live {
		for _, f := range p.Syntax {
			keep[g.fset.File(f.FileStart)] = true
		}
	}
	for _, p := range g.live {
		for _, f := range p.Syntax {
			if tf := g.fset.File(f.FileStart); tf != nil && !keep[tf] {
				g.fset.RemoveFile(tf)
			}
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// An action is an analyzer applied to a package, as checker's Action
// is, the facts of the packages it imports that are not analysed again
// taken from a graph.
type action struct {
	ctx          context.Context // when done, the action is not run
	overlay      map[string][]byte
	ready        chan struct{} // closed when pkg is type-checked, or nil
	finished     func()        // called when it is done, or nil
	a            *analysis.Analyzer
	pkg          *packages.Package
	deps         []*action    // on the same package (required analyzers), or on a root it imports
	vertical     []factSource // by import path, where facts come from
	once         sync.Once
	result       any
	err          error
	mu           sync.Mutex // guards diagnostics
	diagnostics  []analysis.Diagnostic
	objectFacts  map[objectFactKey]analysis.Fact
	packageFacts map[packageFactKey]analysis.Fact
}

// A factSource is the action on an imported root, or what the graph kept
// of the action on an imported dependency.
type factSource struct {
	act *action
	df  *depFacts
}

type objectFactKey struct {
	obj types.Object
	typ reflect.Type
}

type packageFactKey struct {
	pkg *types.Package
	typ reflect.Type
}

func (act *action) String() string { return fmt.Sprintf("%s@%s", act.a, act.pkg) }

// runActions applies analyzers to the packages of again that are roots,
// and those that have facts (with those they require) to the others, as
// checker.Analyze does to a root and its dependencies, taking the facts of
// the packages they import that are not in again from facts. It returns
// every action. The analyzers read the packages' files from overlay
// where it has them (the text that was parsed), else from disk.
//
// An action waits for ready[its package], if there is one, and is not
// run on a package that is IllTyped. When every action on a package
// that is not a root is done, their results are dropped, and drop is
// called with the package (when drop is not nil). When the analyzers'
// actions on a root are done, and before runActions returns, rootDone is
// called with them (when it is not nil).
func runActions(ctx context.Context, analyzers []*analysis.Analyzer, roots, again []*packages.Package, facts map[actionKey]*depFacts, overlay map[string][]byte, ready map[*packages.Package]chan struct{}, drop func(*packages.Package), rootDone func(*packages.Package, []*action)) []*action {
	isRoot := map[*packages.Package]bool{}
	for _, p := range roots {
		isRoot[p] = true
	}
	inAgain := map[*packages.Package]bool{}
	for _, p := range again {
		inAgain[p] = true
	}
	actions := map[actionKey]*action{}
	var all []*action
	var mk func(a *analysis.Analyzer, pkg *packages.Package) *action
	mk = func(a *analysis.Analyzer, pkg *packages.Package) *action {
		k := actionKey{a, pkg}
		if act, ok := actions[k]; ok {
			return act
		}
		act := &action{ctx: ctx, a: a, pkg: pkg, overlay: overlay, ready: ready[pkg]}
		for _, req := range a.Requires {
			act.deps = append(act.deps, mk(req, pkg))
		}
		if len(a.FactTypes) > 0 {
			paths := make([]string, 0, len(pkg.Imports))
			for path := range pkg.Imports {
				paths = append(paths, path)
			}
			sort.Strings(paths)
			for _, path := range paths {
				imp := pkg.Imports[path]
				switch df := facts[actionKey{a, imp}]; {
				case inAgain[imp]:
					dep := mk(a, imp)
					act.deps = append(act.deps, dep)
					act.vertical = append(act.vertical, factSource{act: dep})
				case df != nil:
					act.vertical = append(act.vertical, factSource{df: df})
				default:
					act.vertical = append(act.vertical, factSource{df: &depFacts{name: fmt.Sprintf("%s@%s", a, imp), err: errors.New("no facts kept")}})
				}
			}
		}
		actions[k] = act
		all = append(all, act)
		return act
	}
	var out []*action
	ofRoot := map[*packages.Package][]*action{}
	for _, a := range analyzers {
		for _, p := range again {
			if isRoot[p] || len(a.FactTypes) > 0 {
				act := mk(a, p)
				out = append(out, act)
				if isRoot[p] {
					ofRoot[p] = append(ofRoot[p], act)
				}
			}
		}
	}
	// What the actions on a package that is not a root leave behind
	// once all of them are done: only their facts are read again.
	byPkg := map[*packages.Package][]*action{}
	for _, act := range all {
		byPkg[act.pkg] = append(byPkg[act.pkg], act)
	}
	for p, acts := range byPkg {
		if isRoot[p] {
			continue
		}
		var mu sync.Mutex
		left := len(acts)
		for _, act := range acts {
			act.finished = func() {
				mu.Lock()
				left--
				last := left == 0
				mu.Unlock()
				if last {
					for _, act := range acts {
						act.result = nil
					}
					if drop != nil {
						drop(p)
					}
				}
			}
		}
	}
	var wg sync.WaitGroup
	if rootDone != nil {
		for p, acts := range ofRoot {
			wg.Go(func() {
				execAll(acts)
				rootDone(p, acts)
			})
		}
	}
	execAll(out)
	wg.Wait()
	return all
}

// An earlyFunc receives the findings in the files of one analysed
// package as soon as they are known, before the run is over.
type earlyFunc func(files []string, findings map[string][]*finding)

// forRoot returns the function for runActions that converts what the
// analyzers found in a root that has no errors and gives it to early.
func (early earlyFunc) forRoot(src *sources, analyzers []*analysis.Analyzer) func(*packages.Package, []*action) {
	if early == nil {
		return nil
	}
	return func(p *packages.Package, acts []*action) {
		if hasErrors(p) {
			return
		}
		roots := []*packages.Package{p}
		part := &result{findings: map[string][]*finding{}}
		part.assemble(len(analyzers), roots, convertAll(&converter{src: src}, analyzers, roots, acts))
		early(p.GoFiles, part.findings)
	}
}

// convertAll converts what the analyzers found in each root in acts.
func convertAll(conv *converter, analyzers []*analysis.Analyzer, roots []*packages.Package, acts []*action) map[*packages.Package]rootFindings {
	found := map[*packages.Package]rootFindings{}
	for _, act := range acts {
		i := slices.Index(analyzers, act.a)
		if i < 0 || !slices.Contains(roots, act.pkg) {
			continue
		}
		if found[act.pkg] == nil {
			found[act.pkg] = make(rootFindings, len(analyzers))
		}
		found[act.pkg][i] = conv.convert(act.String(), act.pkg.Fset, act.a, act.diagnostics, act.err)
	}
	return found
}

func execAll(acts []*action) {
	var wg sync.WaitGroup
	for _, act := range acts {
		wg.Go(act.exec)
	}
	wg.Wait()
}

func (act *action) exec() { act.once.Do(act.execOnce) }

func (act *action) execOnce() {
	if act.finished != nil {
		defer act.finished()
	}
	execAll(act.deps)
	if act.ready != nil {
		<-act.ready
	}
	defer func() {
		if r := recover(); r != nil {
			act.err = fmt.Errorf("panic: %v", r)
		}
	}()
	var failed []string
	for _, dep := range act.deps {
		if dep.err != nil {
			failed = append(failed, dep.String())
		}
	}
	for _, src := range act.vertical {
		if src.df != nil && src.df.err != nil {
			failed = append(failed, src.df.name)
		}
	}
	if failed != nil {
		sort.Strings(failed)
		act.err = fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
		return
	}
	if err := act.ctx.Err(); err != nil {
		act.err = err
		return
	}
	if act.pkg.IllTyped {
		act.err = errors.New("analysis skipped due to errors in package")
		return
	}
	inputs := map[*analysis.Analyzer]any{}
	for _, dep := range act.deps {
		if dep.pkg == act.pkg {
			inputs[dep.a] = dep.result
		}
	}
	// Facts are inherited in checker's order, by import path, so that
	// where two give a fact for one object the same one wins.
	act.objectFacts = map[objectFactKey]analysis.Fact{}
	act.packageFacts = map[packageFactKey]analysis.Fact{}
	for _, src := range act.vertical {
		if dep := src.act; dep != nil {
			for k, f := range dep.objectFacts {
				if exportedFrom(k.obj, dep.pkg.Types) {
					act.objectFacts[k] = f
				}
			}
			for k, f := range dep.packageFacts {
				act.packageFacts[k] = f
			}
			continue
		}
		for _, f := range src.df.objectFacts {
			act.objectFacts[objectFactKey{f.Object, reflect.TypeOf(f.Fact)}] = f.Fact
		}
		for _, f := range src.df.packageFacts {
			act.packageFacts[packageFactKey{f.Package, reflect.TypeOf(f.Fact)}] = f.Fact
		}
	}

	pkg := act.pkg
	module := &analysis.Module{}
	if pkg.Module != nil {
		module = analysisModule(pkg.Module)
	}
	pass := &analysis.Pass{
		Analyzer:     act.a,
		Fset:         pkg.Fset,
		Files:        pkg.Syntax,
		OtherFiles:   pkg.OtherFiles,
		IgnoredFiles: pkg.IgnoredFiles,
		Pkg:          pkg.Types,
		TypesInfo:    pkg.TypesInfo,
		TypesSizes:   pkg.TypesSizes,
		TypeErrors:   pkg.TypeErrors,
		Module:       module,
		ResultOf:     inputs,
		Report: func(d analysis.Diagnostic) {
			act.mu.Lock()
			act.diagnostics = append(act.diagnostics, d)
			act.mu.Unlock()
		},
		ImportObjectFact: act.objectFact,
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if obj.Pkg() != pkg.Types {
				panic(fmt.Sprintf("%s: fact %T for %s, an object of another package", act, fact, obj))
			}
			act.objectFacts[objectFactKey{obj, reflect.TypeOf(fact)}] = fact
		},
		ImportPackageFact: act.packageFact,
		ExportPackageFact: func(fact analysis.Fact) {
			act.packageFacts[packageFactKey{pkg.Types, reflect.TypeOf(fact)}] = fact
		},
		AllObjectFacts:  act.allObjectFacts,
		AllPackageFacts: act.allPackageFacts,
	}
	pass.ReadFile = func(filename string) ([]byte, error) {
		// checker's policy: the package's own files, read from the
		// overlay where it has them, which is what was parsed.
		if !slices.Contains(pass.OtherFiles, filename) && !slices.Contains(pass.IgnoredFiles, filename) &&
			!slices.ContainsFunc(pass.Files, func(f *ast.File) bool { return pass.Fset.File(f.FileStart).Name() == filename }) {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", filename)
		}
		if data, ok := act.overlay[filename]; ok {
			return data, nil
		}
		return os.ReadFile(filename)
	}
	act.result, act.err = func() (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		res, err = act.a.Run(pass)
		if err != nil {
			return nil, err
		}
		if got, want := reflect.TypeOf(res), act.a.ResultType; got != want {
			return nil, fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v", pkg.PkgPath, act.a, got, want)
		}
		return res, nil
	}()
}

func (act *action) allObjectFacts() []analysis.ObjectFact {
	facts := make([]analysis.ObjectFact, 0, len(act.objectFacts))
	for k, f := range act.objectFacts {
		facts = append(facts, analysis.ObjectFact{Object: k.obj, Fact: f})
	}
	return facts
}

func (act *action) allPackageFacts() []analysis.PackageFact {
	facts := make([]analysis.PackageFact, 0, len(act.packageFacts))
	for k, f := range act.packageFacts {
		facts = append(facts, analysis.PackageFact{Package: k.pkg, Fact: f})
	}
	return facts
}

func (act *action) objectFact(obj types.Object, ptr analysis.Fact) bool {
	if v, ok := act.objectFacts[objectFactKey{obj, reflect.TypeOf(ptr)}]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

func (act *action) packageFact(pkg *types.Package, ptr analysis.Fact) bool {
	if v, ok := act.packageFacts[packageFactKey{pkg, reflect.TypeOf(ptr)}]; ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
		return true
	}
	return false
}

// exportedFrom is checker's: whether a fact for obj, computed on pkg,
// reaches a package that imports pkg.
func exportedFrom(obj types.Object, pkg *types.Package) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() && obj.Pkg() == pkg || obj.Signature().Recv() != nil
	case *types.Var:
		if obj.IsField() {
			return true
		}
		return obj.Pkg() == pkg
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}

func analysisModule(mod *packages.Module) *analysis.Module {
	if mod == nil {
		return nil
	}
	var modErr *analysis.ModuleError
	if mod.Error != nil {
		modErr = &analysis.ModuleError{Err: mod.Error.Err}
	}
	return &analysis.Module{
		Path:      mod.Path,
		Version:   mod.Version,
		Replace:   analysisModule(mod.Replace),
		Time:      mod.Time,
		Main:      mod.Main,
		Indirect:  mod.Indirect,
		Dir:       mod.Dir,
		GoMod:     mod.GoMod,
		GoVersion: mod.GoVersion,
		Error:     modErr,
	}
}

// reanalyzeSafely is reanalyze, a panic in it a reason to fall back.
func (g *graph) reanalyzeSafely(ctx context.Context, overlay map[string][]byte, analyzers []*analysis.Analyzer, early earlyFunc) (res *result, next *graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, next, err = nil, nil, fallBack("panic: %v", r)
		}
	}()
	return g.reanalyze(ctx, overlay, analyzers, early)
}
