package fixedport

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/listens"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

//go:embed doc.go
var doc string

// Analyzer reports tests that listen on a fixed port.
var Analyzer = &analysis.Analyzer{
	Name:      "fixedport",
	Doc:       analysisutil.MustExtractDoc(doc, "fixedport"),
	URL:       "https://github.com/testraces/testraces#fixedport",
	Requires:  []*analysis.Analyzer{funcindex.Analyzer, listens.Analyzer},
	FactTypes: []analysis.Fact{new(portsFact)},
	Run:       run,
}

// Categories of findings; each is a README anchor.
const (
	categoryListen  = "fixedport-listen"
	categoryHelper  = "fixedport-helper"
	categoryDefault = "fixedport-default"
)

func run(pass *analysis.Pass) (any, error) {
	if knowledge.KnownWithoutCode(pass.Pkg) {
		return nil, nil
	}
	c := newChecker(pass)
	pass.Report = c.idx.SkipNeverRun(pass.Report)
	var found []*finding
	for _, fn := range c.idx.Funcs() {
		if !c.isTestCode(fn) || c.idx.NeverRuns(fn.Node.Pos()) {
			continue
		}
		for _, call := range fn.Calls {
			if !c.listens.MayListen(call) {
				continue
			}
			if f := c.check(call, fn); f != nil {
				found = append(found, f)
			}
		}
	}
	c.report(found)
	return nil, nil
}

// checker holds what one pass knows; nothing outlives the pass.
type checker struct {
	sources  *analysisutil.Sources // the files fixes are built from, read once
	pass     *analysis.Pass
	info     *types.Info
	idx      *funcindex.Index
	listens  *listens.Result
	files    map[string]*token.File // by name, for other packages' sites; built on first need
	reported map[token.Pos]bool
}

func newChecker(pass *analysis.Pass) *checker {
	c := &checker{
		sources:  analysisutil.NewSources(pass),
		pass:     pass,
		info:     pass.TypesInfo,
		idx:      pass.ResultOf[funcindex.Analyzer].(*funcindex.Index),
		listens:  pass.ResultOf[listens.Analyzer].(*listens.Result),
		reported: make(map[token.Pos]bool),
	}
	return c
}

// isTestCode reports whether fn is test code: declared in a _test.go
// file, or taking or holding a testing value (or inside such a function).
// A program's main that listens on :8080 is no test.
func (c *checker) isTestCode(fn *funcindex.Func) bool {
	return fn.InTest || testmodel.HandlesTestingValue(c.info, fn.Node) || testmodel.HandlesTestingValue(c.info, fn.Root().Node)
}

// A finding is a listen of test code on a fixed port.
type finding struct {
	call   *ast.CallExpr
	in     *funcindex.Func
	listen *listens.Listen
	port   int
	udp    bool     // a UDP port: it does not collide with a TCP one
	addr   ast.Expr // the operand that folded to the address, if one did
}

// check returns the finding at call, in test code fn, if it listens on a
// fixed port.
func (c *checker) check(call *ast.CallExpr, fn *funcindex.Func) *finding {
	l, ok := c.listens.Of(call, fn)
	if !ok || c.listens.Unix(l) {
		return nil
	}
	found := &finding{call: call, in: fn, listen: l, port: l.DefaultPort, udp: l.UDP}
	if l.Network != nil {
		network, _ := c.listens.Fold(l.Network)
		found.udp = found.udp || knowledge.IsUDPNetwork(network)
	}
	if l.DefaultEnv != "" {
		if found.port, ok = c.defaultFromEnv(call, fn, l); !ok {
			return nil
		}
	}
	for _, a := range l.Addrs {
		s, ok := c.listens.Fold(a.Expr)
		if !ok || a.Path != "" {
			continue
		}
		if a.PortOnly {
			s = ":" + s
		}
		if p := listens.PortOf(s); p.Fixed > 0 {
			found.port, found.addr = p.Fixed, a.Expr
			if network, _ := knowledge.SplitScheme(s); knowledge.IsUDPNetwork(network) {
				found.udp = true
			}
			break
		}
	}
	if found.port == 0 || c.expectsError(call, fn) {
		return nil
	}
	return found
}

// defaultFromEnv returns the port that l, a start given no address, listens
// on, when the test sets the environment variable that overrides its
// default (os.Setenv("PORT", "3123"), t.Setenv) before call in its
// function: the port that sets, or the default when it sets it empty or
// unsets it; ok is false when the value does not fold.
func (c *checker) defaultFromEnv(call *ast.CallExpr, fn *funcindex.Func, l *listens.Listen) (int, bool) {
	port := l.DefaultPort
	for _, set := range c.idx.Funcs() {
		if set.Root() != fn.Root() {
			continue
		}
		for _, sc := range set.Calls {
			if sc.Pos() >= call.Pos() {
				continue
			}
			callee, ok := typeutil.Callee(c.info, sc).(*types.Func)
			if !ok || len(sc.Args) == 0 {
				continue
			}
			setenv := knowledge.IsFunc(callee, "os", "Setenv") || callee.Name() == "Setenv" && knowledge.InPackage(callee, "testing")
			unsetenv := knowledge.IsFunc(callee, "os", "Unsetenv")
			if !setenv && !unsetenv {
				continue
			}
			if name, ok := c.listens.Fold(sc.Args[0]); !ok || name != l.DefaultEnv {
				continue
			}
			if unsetenv || len(sc.Args) != 2 {
				port = l.DefaultPort
				continue
			}
			value, ok := c.listens.Fold(sc.Args[1])
			switch {
			case !ok:
				return 0, false
			case value == "":
				port = l.DefaultPort
			default:
				port = listens.PortOf(":" + value).Fixed
			}
		}
	}
	return port, port > 0
}

// report reports each finding, with the other places of the package, and
// of the packages it imports, that listen on the same port; and exports
// the package's fixed ports for the packages that import it.
func (c *checker) report(found []*finding) {
	var own []portSite
	for _, f := range found {
		own = append(own, siteOf(c.pass.Fset, f.port, f.udp, f.call.Pos()))
	}
	var imported []portSite
	for _, pf := range c.pass.AllPackageFacts() {
		if f, ok := pf.Fact.(*portsFact); ok && pf.Package != c.pass.Pkg {
			imported = append(imported, f.Listens...)
		}
	}
	sortSites(imported)
	for _, f := range found {
		if c.reported[f.call.Pos()] {
			continue
		}
		c.reported[f.call.Pos()] = true
		c.pass.Report(c.diagnostic(f, found, imported))
	}
	if len(own) > 0 {
		sortSites(own)
		c.pass.ExportPackageFact(&portsFact{Listens: own})
	}
}

// maxRelated bounds the other places a finding lists.
const maxRelated = 8

func (c *checker) diagnostic(f *finding, found []*finding, imported []portSite) analysis.Diagnostic {
	const why = "test binaries of other packages run at the same time and so do parallel tests; listen on port 0 and take the address from the listener"
	name := analysisutil.CalleeName(f.call)
	category := categoryListen
	msg := fmt.Sprintf("the test listens on the fixed port %d: %s", f.port, why)
	switch {
	case f.addr == nil:
		category = categoryDefault
		msg = fmt.Sprintf("the test listens on the fixed port %d, which %s listens on when given no address: %s", f.port, name, why)
	case f.listen.Helper:
		category = categoryHelper
		msg = fmt.Sprintf("the test listens on the fixed port %d through %s: %s", f.port, name, why)
	}
	diag := analysis.Diagnostic{Pos: f.call.Pos(), End: f.call.End(), Category: category, Message: msg}
	if f.listen.Field != nil {
		diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: f.listen.Field.Pos(), End: f.listen.Field.End(), Message: "the server's address is set here"})
	}
	for _, o := range found {
		if o != f && o.port == f.port && o.udp == f.udp && o.call.Pos() != f.call.Pos() && len(diag.Related) < maxRelated {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: o.call.Pos(), End: o.call.End(), Message: fmt.Sprintf("this test listens on port %d too", f.port)})
		}
	}
	for _, s := range imported {
		if s.Port != f.port || s.UDP != f.udp || len(diag.Related) >= maxRelated {
			continue
		}
		if pos := c.posOf(s); pos.IsValid() {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: pos, Message: fmt.Sprintf("test code of an imported package listens on port %d too", f.port)})
		}
	}
	if fix := c.fix(f); fix != nil {
		diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	return diag
}

// posOf returns s's position in the pass's file set, if it has s's file.
func (c *checker) posOf(s portSite) token.Pos {
	if c.files == nil {
		c.files = make(map[string]*token.File)
		c.pass.Fset.Iterate(func(f *token.File) bool {
			c.files[f.Name()] = f
			return true
		})
	}
	return posOf(c.files, s)
}

// expectsError reports whether the test expects call to fail: it checks
// that the error is not nil (if err == nil { t.Fatal(...) }, assert.Error),
// as a test of a port that cannot be bound does.
func (c *checker) expectsError(call *ast.CallExpr, fn *funcindex.Func) bool {
	root := fn.Root().Node
	var errVar *types.Var
	expects := false
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && ast.Unparen(n.Rhs[0]) == call {
				errVar = c.errorVar(n.Lhs[len(n.Lhs)-1])
			}
		case *ast.ValueSpec:
			if len(n.Values) == 1 && ast.Unparen(n.Values[0]) == call && len(n.Names) > 0 {
				errVar = c.errorVar(n.Names[len(n.Names)-1])
			}
		case *ast.CallExpr:
			for _, arg := range n.Args {
				if ast.Unparen(arg) == call && c.assertsError(n, arg) {
					expects = true
				}
			}
		}
		return true
	})
	if expects || errVar == nil {
		return expects
	}
	return c.firstCheckExpectsError(root, call, errVar)
}

// firstCheckExpectsError reports whether the first thing done with errVar,
// the listen call's error, after call is a check that it is not nil: an
// if err == nil whose body fails or skips the test, or testify's Error.
// Checks after err is assigned again are of other calls.
func (c *checker) firstCheckExpectsError(root ast.Node, call *ast.CallExpr, errVar *types.Var) bool {
	decided, expects := false, false
	ast.Inspect(root, func(n ast.Node) bool {
		if decided || n == nil || n.End() <= call.End() {
			return !decided
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Pos() > call.End() {
				for _, lhs := range n.Lhs {
					if testmodel.VarOf(c.info, lhs) == errVar {
						decided = true
					}
				}
			}
		case *ast.IfStmt:
			cond, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr)
			if !ok || !(c.isVarAndNil(cond.X, cond.Y, errVar) || c.isVarAndNil(cond.Y, cond.X, errVar)) {
				return true
			}
			decided = true
			expects = cond.Op == token.EQL && c.stopsOrFails(n.Body)
		case *ast.CallExpr:
			for _, arg := range n.Args {
				if testmodel.VarOf(c.info, arg) == errVar {
					decided, expects = true, c.assertsError(n, arg)
				}
			}
		}
		return !decided
	})
	return expects
}

// stopsOrFails reports whether block fails or skips the test: t.Fatal,
// t.Error, t.Skip and their families, panic, log.Fatal and log.Panic.
func (c *checker) stopsOrFails(block *ast.BlockStmt) bool {
	found := false
	ast.Inspect(block, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !found {
			if _, _, ok := testmodel.FailNowCall(c.info, call); ok {
				found = true
			} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "Error") && testmodel.IsTestingType(c.info.TypeOf(sel.X)) {
				found = true
			} else if b, ok := typeutil.Callee(c.info, call).(*types.Builtin); ok && b.Name() == "panic" {
				found = true
			} else if fn, ok := typeutil.Callee(c.info, call).(*types.Func); ok && knowledge.IsFunc(fn, "log", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln") {
				found = true
			}
		}
		return !found
	})
	return found
}

func (c *checker) errorVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.info.ObjectOf(id).(*types.Var)
	if v == nil || !types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
		return nil
	}
	return v
}

func (c *checker) isVarAndNil(x, y ast.Expr, v *types.Var) bool {
	tv, ok := c.info.Types[y]
	return ok && tv.IsNil() && testmodel.VarOf(c.info, x) == v
}

// assertsError reports whether call is testify's assertion that subject,
// one of its arguments, is an error: Error, ErrorIs, ErrorAs,
// ErrorContains, EqualError, NotNil, or Equal to an error value
// (assert.Equal(t, ErrInvalidListenerNetwork, e.Start(":1323"))).
func (c *checker) assertsError(call *ast.CallExpr, subject ast.Expr) bool {
	ref, _, ok := c.idx.Callee(call)
	if !ok || ref.Func == nil {
		return false
	}
	fn := ref.Func
	if !knowledge.IsTestifyFunc(fn, knowledge.TestifyAssert) && !knowledge.IsTestifyFunc(fn, knowledge.TestifyRequire) {
		return false
	}
	switch strings.TrimSuffix(fn.Name(), "f") {
	case "Error", "ErrorIs", "ErrorAs", "ErrorContains", "EqualError", "NotNil":
		return true
	case "Equal", "EqualValues":
		for _, arg := range call.Args {
			if arg != subject && c.isErrorValue(arg) {
				return true
			}
		}
	}
	return false
}

// isErrorValue reports whether e is an error other than nil.
func (c *checker) isErrorValue(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	if !ok || tv.IsNil() || tv.Type == nil {
		return false
	}
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	return types.Implements(tv.Type, errType) && !testmodel.IsTestingType(tv.Type)
}
