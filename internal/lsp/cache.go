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
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A graph is what a full load of a directory's package keeps for the
// runs after it: the dependencies' type information and the facts the
// analyzers computed for them. While nothing but the package's own Go
// files changed, and those kept their imports and build constraints, a
// run re-parses and re-type-checks only the package (and its test
// variants) against the same dependency types, and runs the analyzers on
// it alone with the dependencies' facts as a full run would give them.
// A graph is not changed once made; a run that reuses one makes another.
type graph struct {
	dir       string
	analyzers []*analysis.Analyzer // the analyzers the facts are of
	fset      *token.FileSet       // shared with the dependencies' positions
	roots     []*packages.Package  // the analysed packages of dir, as packagesOf orders them
	headers   map[string]string    // by root file, what decides its package: see header
	listing   []string             // the names in dir when it was loaded
	facts     map[actionKey]*depFacts
	stamp     stamp
}

type actionKey struct {
	a   *analysis.Analyzer
	pkg *packages.Package
}

// depFacts is what an analyzer's action on a dependency left for an
// action on a package that imports it.
type depFacts struct {
	name         string // the action, for "failed prerequisites"
	err          error
	objectFacts  []analysis.ObjectFact // those an importer inherits
	packageFacts []analysis.PackageFact
}

// newGraph returns the graph to keep from a full load whose analysed
// packages are roots, or nil, with why, when later runs cannot reuse it:
// a package of dir failed to load or compile, uses cgo, or some
// dependency imports the package (an external test's dependency that
// imports the package, compiled with its tests or not), so that it would
// need checking again too.
func newGraph(dir string, listing []string, roots []*packages.Package, acts *checker.Graph, analyzers []*analysis.Analyzer, st stamp) (*graph, string) {
	if len(roots) == 0 {
		return nil, "no package"
	}
	g := &graph{
		dir:       dir,
		analyzers: analyzers,
		fset:      roots[0].Fset,
		roots:     roots,
		headers:   map[string]string{},
		listing:   listing,
		facts:     map[actionKey]*depFacts{},
		stamp:     st,
	}
	isRoot := map[*packages.Package]bool{}
	for _, p := range roots {
		isRoot[p] = true
	}
	direct := map[*packages.Package]bool{} // dependencies a root imports
	for _, p := range roots {
		if hasErrors(p) {
			return nil, p.ID + " has errors"
		}
		if p.Fset != g.fset || len(p.Syntax) != len(p.CompiledGoFiles) {
			return nil, p.ID + " has no syntax for some file"
		}
		if !slices.Equal(p.GoFiles, p.CompiledGoFiles) {
			return nil, p.ID + " uses cgo"
		}
		for i, f := range p.Syntax {
			h, ok := header(f)
			if !ok {
				return nil, p.ID + " uses cgo"
			}
			g.headers[p.CompiledGoFiles[i]] = h
		}
		for _, imp := range p.Imports {
			if !isRoot[imp] {
				direct[imp] = true
			}
		}
	}
	var bad string
	packages.Visit(roots, func(p *packages.Package) bool {
		if !isRoot[p] && (p.ForTest != "" ||
			slices.ContainsFunc(p.GoFiles, func(f string) bool { return filepath.Dir(f) == dir }) ||
			slices.ContainsFunc(slices.Collect(maps.Values(p.Imports)), func(imp *packages.Package) bool { return isRoot[imp] })) {
			bad = p.ID
		}
		return bad == ""
	}, nil)
	if bad != "" {
		return nil, bad + " imports the package"
	}
	for act := range acts.All() {
		if len(act.Analyzer.FactTypes) == 0 || !direct[act.Package] {
			continue
		}
		df := &depFacts{name: act.String(), err: act.Err, packageFacts: act.AllPackageFacts()}
		for _, f := range act.AllObjectFacts() {
			if exportedFrom(f.Object, act.Package.Types) {
				df.objectFacts = append(df.objectFacts, f)
			}
		}
		g.facts[actionKey{act.Analyzer, act.Package}] = df
	}
	// The dependencies' syntax and type information are not needed
	// again, only their types, facts and positions.
	packages.Visit(roots, nil, func(p *packages.Package) {
		if !isRoot[p] {
			p.Syntax, p.TypesInfo = nil, nil
		}
	})
	return g, ""
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

// reanalyze analyses g's package again, reusing its dependencies. It
// fails with an *errFallBack when it cannot, with the context's error
// when that is done.
func (g *graph) reanalyze(ctx context.Context, overlay map[string][]byte, analyzers []*analysis.Analyzer) (*result, *graph, error) {
	if !slices.Equal(analyzers, g.analyzers) {
		return nil, nil, fallBack("other analyzers")
	}
	changed, ok := g.stamp.changes(g.dir, overlay)
	if !ok {
		return nil, nil, fallBack("a new file in %s", g.dir)
	}
	listing := g.listing
	for _, path := range changed {
		if path == g.dir {
			if listing = listDir(g.dir); !slices.Equal(listing, g.listing) {
				return nil, nil, fallBack("files added to or removed from %s", g.dir)
			}
			continue
		}
		if _, ok := g.headers[path]; !ok {
			return nil, nil, fallBack("%s changed", path)
		}
	}

	// Parse and type-check the roots again, in dependency order.
	src := &sources{dir: g.dir, content: map[string][]byte{}}
	renewed := map[*packages.Package]*packages.Package{}
	var check func(p *packages.Package) error
	check = func(old *packages.Package) error {
		if renewed[old] != nil {
			return nil
		}
		p := *old
		p.Imports = map[string]*packages.Package{}
		for path, imp := range old.Imports {
			if slices.Contains(g.roots, imp) {
				if err := check(imp); err != nil {
					return err
				}
				imp = renewed[imp]
			}
			p.Imports[path] = imp
		}
		p.Syntax = nil
		for _, name := range old.CompiledGoFiles {
			data, ok := overlay[name]
			if !ok {
				var err error
				if data, err = os.ReadFile(name); err != nil {
					return fallBack("%v", err)
				}
			}
			f, err := src.parse(g.fset, name, data)
			if err != nil {
				return fallBack("%s does not parse", name)
			}
			if h, _ := header(f); h != g.headers[name] {
				return fallBack("the imports or build constraints of %s changed", name)
			}
			p.Syntax = append(p.Syntax, f)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p.Types = types.NewPackage(old.PkgPath, old.Name)
		p.TypesInfo = &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Instances:    make(map[*ast.Ident]types.Instance),
			Scopes:       make(map[ast.Node]*types.Scope),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			FileVersions: make(map[*ast.File]string),
		}
		var typeErrs []error
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
			Error: func(err error) { typeErrs = append(typeErrs, err) },
			Sizes: old.TypesSizes,
		}
		if p.Module != nil && p.Module.GoVersion != "" {
			tc.GoVersion = "go" + p.Module.GoVersion
		}
		_ = types.NewChecker(tc, g.fset, p.Types, p.TypesInfo).Files(p.Syntax)
		if len(typeErrs) > 0 {
			return fallBack("%s does not type-check: %v", p.ID, typeErrs[0])
		}
		renewed[old] = &p
		return nil
	}
	roots := make([]*packages.Package, len(g.roots))
	for i, old := range g.roots {
		if err := check(old); err != nil {
			return nil, nil, err
		}
		roots[i] = renewed[old]
	}

	next := &graph{
		dir:       g.dir,
		analyzers: g.analyzers,
		fset:      g.fset,
		roots:     roots,
		headers:   g.headers,
		listing:   listing,
		facts:     g.facts,
		stamp:     g.stamp.with(changed, overlay),
	}
	acts := next.run(roots)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	res := &result{dir: g.dir, findings: map[string][]*finding{}, stamp: next.stamp, how: "incremental"}
	for _, p := range roots {
		res.files = append(res.files, p.GoFiles...)
	}
	conv := &converter{src: src, seen: map[string]bool{}}
	for _, act := range acts {
		res.add(conv, act.String(), act.pkg.Fset, act.a, act.diagnostics, act.err)
	}
	return res, next, nil
}

// release drops from the shared file set the files of g's packages that
// next, which replaced g, does not have: each incremental run adds the
// package's files again, and nothing reads g's positions once the result
// made from next is kept.
func (g *graph) release(next *graph) {
	if next == g || next == nil || next.fset != g.fset {
		return
	}
	keep := map[*token.File]bool{}
	for _, p := range next.roots {
		for _, f := range p.Syntax {
			keep[g.fset.File(f.FileStart)] = true
		}
	}
	for _, p := range g.roots {
		for _, f := range p.Syntax {
			if tf := g.fset.File(f.FileStart); tf != nil && !keep[tf] {
				g.fset.RemoveFile(tf)
			}
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// An action is an analyzer applied to a root package, as checker's
// Action is, the facts of the dependencies that are not roots taken from
// the graph.
type action struct {
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

// run applies g's analyzers to roots and returns the actions of each
// analyzer on each root, in the order checker.Analyze gives its roots.
func (g *graph) run(roots []*packages.Package) []*action {
	actions := map[actionKey]*action{}
	var mk func(a *analysis.Analyzer, pkg *packages.Package) *action
	mk = func(a *analysis.Analyzer, pkg *packages.Package) *action {
		k := actionKey{a, pkg}
		if act, ok := actions[k]; ok {
			return act
		}
		act := &action{a: a, pkg: pkg}
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
				switch df := g.facts[actionKey{a, imp}]; {
				case slices.Contains(roots, imp):
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
		return act
	}
	var out []*action
	for _, a := range g.analyzers {
		for _, p := range roots {
			out = append(out, mk(a, p))
		}
	}
	execAll(out)
	return out
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
	execAll(act.deps)
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
		AllObjectFacts: func() []analysis.ObjectFact {
			facts := make([]analysis.ObjectFact, 0, len(act.objectFacts))
			for k, f := range act.objectFacts {
				facts = append(facts, analysis.ObjectFact{Object: k.obj, Fact: f})
			}
			return facts
		},
		AllPackageFacts: func() []analysis.PackageFact {
			facts := make([]analysis.PackageFact, 0, len(act.packageFacts))
			for k, f := range act.packageFacts {
				facts = append(facts, analysis.PackageFact{Package: k.pkg, Fact: f})
			}
			return facts
		},
	}
	pass.ReadFile = func(filename string) ([]byte, error) {
		// checker's policy: the package's own files, read from disk.
		if !slices.Contains(pass.OtherFiles, filename) && !slices.Contains(pass.IgnoredFiles, filename) &&
			!slices.ContainsFunc(pass.Files, func(f *ast.File) bool { return pass.Fset.File(f.FileStart).Name() == filename }) {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, IgnoredFiles, or names of Files", filename)
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
func (g *graph) reanalyzeSafely(ctx context.Context, overlay map[string][]byte, analyzers []*analysis.Analyzer) (res *result, next *graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, next, err = nil, nil, fallBack("panic: %v", r)
		}
	}()
	return g.reanalyze(ctx, overlay, analyzers)
}
