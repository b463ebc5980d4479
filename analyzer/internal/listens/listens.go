// Package listens tells, once per package, which operands of a call are
// the address it listens on: the libraries' listens that knowledge names,
// an http.Server's Addr field, and the helpers of any package that listen
// on an address or port they are given (facts). fixedport asks it which
// port a test listens on; serverready asks it where a closed listener's
// address is bound again. A helper that listens on an address of its own
// while it is handed another (a client's backend) does not listen on
// what it is handed.
package listens

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/analysisutil"
	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// Analyzer computes the helpers' facts. Analyzers that ask where a call
// listens require it and read its *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "testraceslistens",
	Doc:        "tell which operands of a call are the address it listens on (used by fixedport and serverready)",
	URL:        "https://github.com/testraces/testraces",
	Run:        run,
	FactTypes:  []analysis.Fact{new(Fact)},
	Requires:   []*analysis.Analyzer{funcindex.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
}

// Result answers where the calls of one package listen. It is complete
// when the pass returns, and only read after.
type Result struct {
	info  *types.Info
	idx   *funcindex.Index
	facts map[*types.Func]*Fact // the package's helpers' and the imported ones
	// reads, while helperFacts computes a function's fact (recording),
	// lists the facts that computation reads; empty once the pass returns.
	recording bool
	reads     []*types.Func
	// candidates maps each call of the package's functions that may
	// listen, as far as its callee says (callsThatMayListen), to that
	// callee; nil until helperFacts computes it, and for a package whose
	// code is not read.
	candidates map[*ast.CallExpr]*types.Func
}

// fact returns fn's fact, nil if none, noting that it was read.
func (r *Result) fact(fn *types.Func) *Fact {
	if r.recording && (len(r.reads) == 0 || r.reads[len(r.reads)-1] != fn) {
		r.reads = append(r.reads, fn)
	}
	return r.facts[fn]
}

func run(pass *analysis.Pass) (any, error) {
	r := &Result{
		info:  pass.TypesInfo,
		idx:   pass.ResultOf[funcindex.Analyzer].(*funcindex.Index),
		facts: make(map[*types.Func]*Fact),
	}
	for _, of := range pass.AllObjectFacts() {
		if fn, ok := of.Object.(*types.Func); ok {
			if f, ok := of.Fact.(*Fact); ok {
				r.facts[fn] = f
			}
		}
	}
	if knowledge.KnownWithoutCode(pass.Pkg) || !reaches(pass.Pkg, "net", make(map[*types.Package]bool)) {
		return r, nil // what cannot reach package net listens on nothing
	}
	for fn, f := range r.helperFacts(pass.Pkg) {
		pass.ExportObjectFact(fn, f)
	}
	return r, nil
}

// reaches reports whether pkg imports the package path, directly or
// through its imports.
func reaches(pkg *types.Package, path string, seen map[*types.Package]bool) bool {
	if pkg.Path() == path {
		return true
	}
	seen[pkg] = true
	for _, imp := range pkg.Imports() {
		if !seen[imp] && reaches(imp, path, seen) {
			return true
		}
	}
	return false
}

// An Address is an operand that says where a call listens: the whole
// address, or only its port (a helper's listen(t, 8080)).
type Address struct {
	Expr     ast.Expr
	PortOnly bool
	// Path is the field of Expr that holds the address, when it could
	// not be followed further: Expr is then a parameter of the function
	// the call is in, and its callers tell.
	Path string
}

// A Listen is a call that listens on an address it is given, or on a
// default one.
type Listen struct {
	Fn          *types.Func
	Addrs       []Address
	Network     ast.Expr          // nil: TCP
	DefaultPort int               // listened on when the address was left out
	DefaultEnv  string            // the environment variable that overrides DefaultPort
	UDP         bool              // listens on UDP whatever its network
	Helper      bool              // through a helper's fact, not the knowledge
	Field       *ast.KeyValueExpr // for a server's Addr field: the field's key-value
}

// MayListen reports whether call calls a function that listens on an
// address it is given, as the knowledge or a fact says: the cheap test
// before Of, for most calls of most packages. A function value
// (f := srv.ListenAndServe; f()) is not followed.
func (r *Result) MayListen(call *ast.CallExpr) bool {
	fn := r.candidate(call)
	if fn == nil {
		return false
	}
	if _, ok := knowledge.ListensAt(fn); ok {
		return true
	}
	f := r.fact(fn)
	return f != nil && f.listens()
}

// callee returns the function call calls (the generic one, for an
// instance), or nil for a call of a function value.
func (r *Result) callee(call *ast.CallExpr) *types.Func {
	fn, ok := typeutil.Callee(r.info, call).(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// candidate returns what call calls when that may listen, nil otherwise
// (see callee): for a call of the package's functions, the map of those
// that may tells, without resolving the call again.
func (r *Result) candidate(call *ast.CallExpr) *types.Func {
	if r.candidates != nil {
		return r.candidates[call]
	}
	return r.callee(call)
}

// Untold reports whether call listens on an address that it builds in
// ways not followed (see Fact.Untold): any text it is given may be it.
func (r *Result) Untold(call *ast.CallExpr) bool {
	fn := r.candidate(call)
	if fn == nil {
		return false
	}
	f := r.fact(fn)
	return f != nil && f.Untold
}

// Of returns what call, in function in, listens on, if it listens on an
// address; the address operands may be anything: Fold tells what they
// are.
func (r *Result) Of(call *ast.CallExpr, in *funcindex.Func) (*Listen, bool) {
	ref, operands, ok := r.idx.Callee(call)
	if !ok || ref.Func == nil {
		return nil, false
	}
	fn := ref.Func.Origin()
	if at, ok := knowledge.ListensAt(fn); ok {
		return r.library(call, in, fn, at, operands)
	}
	fact := r.fact(fn)
	if fact == nil || !fact.listens() {
		return nil, false
	}
	l := &Listen{Fn: fn, Helper: true}
	f := r.folder(nil)
	for _, fd := range fact.Fields {
		if fd.Operand >= len(operands) {
			continue
		}
		v, kv, rest := f.fieldValue(operands[fd.Operand], strings.Split(fd.Path, "."), 0)
		if v == nil {
			continue
		}
		l.Addrs = append(l.Addrs, Address{Expr: v, PortOnly: fd.Port, Path: strings.Join(rest, ".")})
		if kv != nil && l.Field == nil {
			l.Field = kv
		}
	}
	for i, op := range operands {
		if i >= 64 || call.Ellipsis.IsValid() && i == len(operands)-1 {
			break
		}
		if fact.Network&(1<<i) != 0 && l.Network == nil {
			l.Network = op
		}
		if fact.Addr&(1<<i) != 0 {
			l.Addrs = append(l.Addrs, Address{Expr: op})
		}
		if fact.Port&(1<<i) != 0 {
			l.Addrs = append(l.Addrs, Address{Expr: op, PortOnly: true})
		}
	}
	return l, len(l.Addrs) > 0
}

// library returns what call of fn, a library's listen, listens on.
func (r *Result) library(call *ast.CallExpr, in *funcindex.Func, fn *types.Func, at knowledge.ListenAt, operands []ast.Expr) (*Listen, bool) {
	l := &Listen{Fn: fn, UDP: at.UDP}
	if at.Network >= 0 && at.Network < len(operands) {
		l.Network = operands[at.Network]
	}
	switch {
	case at.AddrField != "":
		if len(operands) == 0 {
			return nil, false
		}
		v, kv, rest := r.folder(nil).fieldValue(operands[0], []string{at.AddrField}, 0)
		if v == nil {
			return nil, false
		}
		l.Addrs, l.Field = []Address{{Expr: v, Path: strings.Join(rest, ".")}}, kv
	case at.Addr < len(operands):
		if call.Ellipsis.IsValid() && at.Addr == len(operands)-1 {
			return nil, false // r.Run(addrs...)
		}
		l.Addrs = []Address{{Expr: operands[at.Addr]}}
	case at.DefaultPort > 0 && !call.Ellipsis.IsValid():
		l.DefaultPort, l.DefaultEnv = at.DefaultPort, at.DefaultEnv
	default:
		return nil, false
	}
	return l, true
}

// Fold returns the string e builds, if it can be told: constants,
// concatenations, fmt.Sprintf, net.JoinHostPort, strconv.Itoa, variables
// assigned once.
func (r *Result) Fold(e ast.Expr) (string, bool) {
	return r.folder(nil).fold(e)
}

// Unix reports whether l listens on a unix socket: its network folds to
// "unix", "unixpacket" or "unixgram".
func (r *Result) Unix(l *Listen) bool {
	return r.folder(nil).unix(l)
}

func (f *folder) unix(l *Listen) bool {
	if l.Network == nil {
		return false
	}
	network, ok := f.fold(l.Network)
	return ok && knowledge.IsUnixNetwork(network)
}

// folder returns a folder of the package's expressions; env numbers the
// parameters of the helper being folded, if one is.
func (r *Result) folder(env map[*types.Var]int) *folder {
	return &folder{info: r.info, idx: r.idx, r: r, env: env}
}

// helperFacts computes which operands the package's functions listen on,
// and which their results' fields hold. Helpers calling helpers: a few
// rounds reach the depth real helpers have, and each round only adds. It
// runs before the pass returns; r is only read after.
func (r *Result) helperFacts(pkg *types.Package) map[*types.Func]*Fact {
	local := make(map[*types.Func]*Fact)
	envs := make(map[*funcindex.Func]map[*types.Var]int)
	calls := r.callsThatMayListen(pkg)
	ranged := make(map[rangedKey]folded)
	// A function is computed again only when a fact it read has grown
	// since: most read none that does, and rounds over all would redo them.
	reads := make(map[*funcindex.Func][]*types.Func)
	computed := make(map[*funcindex.Func]int) // the step each was last computed at
	grew := make(map[*types.Func]int)         // the step each fact last grew at
	step := 0
	for changed, round := true, 0; changed && round < 4; round++ {
		changed = false
		for _, fn := range r.idx.Funcs() {
			root := fn.Root()
			// Without calls that may listen, only a constructor's first
			// round can find anything: the fields its result holds.
			if root.Obj == nil || len(calls[fn]) == 0 && (round > 0 || fn != root || !returnsHolder(root)) {
				continue
			}
			if round > 0 && !analysisutil.GrewSince(reads[fn], grew, computed[fn]) {
				continue
			}
			step++
			computed[fn] = step
			r.recording, r.reads = true, nil
			fact := r.helperFact(fn, root, local[root.Obj], calls[fn], envs, ranged, round == 0)
			reads[fn], r.reads, r.recording = r.reads, nil, false
			if before := local[root.Obj]; before == nil && !fact.equal(new(Fact)) || before != nil && !fact.equal(before) {
				changed = true
				grew[root.Obj] = step
				local[root.Obj] = fact
				r.facts[root.Obj] = fact
			}
		}
	}
	return local
}

// helperFact returns the fact of fn's root, before, with what fn's calls
// that may listen add; in the first round, with the fields a constructor's
// result holds.
func (r *Result) helperFact(fn, root *funcindex.Func, before *Fact, calls []*ast.CallExpr, envs map[*funcindex.Func]map[*types.Var]int, ranged map[rangedKey]folded, first bool) *Fact {
	fact := new(Fact)
	if before != nil {
		fact = before.clone()
	}
	f := r.folder(envOf(root, envs))
	f.ranged = ranged
	if fn == root && first {
		f.holds(fact, root)
	}
	for _, call := range calls {
		if r.Untold(call) {
			fact.Untold = true
		}
		if !r.MayListen(call) {
			continue
		}
		l, ok := r.Of(call, fn)
		switch {
		case !ok:
			fact.Untold = fact.Untold || !r.listensOnDefault(call)
		case !f.unix(l):
			f.addOperands(fact, l)
		}
	}
	return fact
}

// callsThatMayListen returns, for each function of the package, its calls
// of functions that may listen: those knowledge names, those with a fact,
// and the package's own, which may get one. Most calls are of none of
// these, and the rounds of helperFacts skip them.
func (r *Result) callsThatMayListen(pkg *types.Package) map[*funcindex.Func][]*ast.CallExpr {
	calls := make(map[*funcindex.Func][]*ast.CallExpr)
	candidates := make(map[*ast.CallExpr]*types.Func)
	for _, fn := range r.idx.Funcs() {
		for _, call := range fn.Calls {
			callee := r.callee(call)
			if callee == nil {
				continue
			}
			if _, known := knowledge.ListensAt(callee); known || callee.Pkg() == pkg || r.facts[callee] != nil {
				calls[fn] = append(calls[fn], call)
				candidates[call] = callee
			}
		}
	}
	// Facts to come are the package's own functions': every call that
	// may listen is among these.
	r.candidates = candidates
	return calls
}

// addOperands adds to fact the operands of the helper, or their fields,
// whose address, port or network l, a listen inside it, listens on.
func (f *folder) addOperands(fact *Fact, l *Listen) {
	network := -1 // the operand that is the network, if one is
	if l.Network != nil {
		if s, ok := f.fold(l.Network); ok {
			network = operandOf(s)
		}
	}
	for _, a := range l.Addrs {
		s, ok := f.fold(a.Expr)
		if !ok {
			fact.Untold = true
			continue
		}
		if a.Path != "" {
			// A field of a struct operand: s is the operand's marker.
			i, path, ok := markerOf(s)
			if !ok {
				continue
			}
			if path != "" {
				path += "."
			}
			fact.addField(Field{Operand: i, Path: path + a.Path, Port: a.PortOnly})
			continue
		}
		if a.PortOnly {
			s = ":" + s
		}
		p := PortOf(s)
		if p.addr == 0 && p.operand == 0 || p.addr > 64 || p.operand > 64 {
			continue
		}
		if p.path != "" {
			fact.addField(Field{Operand: max(p.addr, p.operand) - 1, Path: p.path, Port: p.operand > 0})
			continue
		}
		if scheme, _ := splitScheme(s); scheme != "" {
			network = operandOf(scheme) // network + "://" + addr
		}
		if p.addr > 0 {
			fact.Addr |= 1 << (p.addr - 1)
		}
		if p.operand > 0 {
			fact.Port |= 1 << (p.operand - 1)
		}
		if network >= 0 && network < 64 {
			fact.Network |= 1 << network
		}
	}
}

// listensOnDefault reports whether call, a library listen that Of says
// nothing of, listens on its documented default (gin's r.Run()): an
// address of its own, not one it is given.
func (r *Result) listensOnDefault(call *ast.CallExpr) bool {
	at, ok := knowledge.ListensAt(r.callee(call))
	return ok && at.DefaultPort > 0
}

// envOf returns the operands of root, an outermost function, for folding
// a helper's addresses: a closure that listens on its helper's addr
// parameter listens on that operand.
func envOf(root *funcindex.Func, envs map[*funcindex.Func]map[*types.Var]int) map[*types.Var]int {
	if env, ok := envs[root]; ok {
		return env
	}
	env := make(map[*types.Var]int, len(root.Params))
	for i, p := range root.Params {
		env[p] = i
	}
	envs[root] = env
	return env
}
