package listens

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net"
	"strconv"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/knowledge"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// A folder folds the expressions that build an address to the string they
// are: constants, concatenations, fmt.Sprintf with constant arguments,
// net.JoinHostPort, strconv.Itoa of a constant, and variables assigned
// once (locals, and package-level variables no other package can set).
//
// The parameters in env fold to a marker of their own (operand i), so
// that a helper's address says which of its operands is the address or
// the port it listens on.
type folder struct {
	info *types.Info
	idx  *funcindex.Index
	env  map[*types.Var]int // parameters -> their operand index
	r    *Result            // whose facts say which constructors hold what in their results' fields
	// bound: the parameters of a function whose results a caller folds
	// (see foldReturned) -> the call's operands.
	bound map[*types.Var]boundOperand
	// ranged, when set, keeps what foldRanged found for a range variable
	// and a path, for the folders of one computation of facts: each of its
	// rounds folds the same listens again, and a table is found by a scan.
	ranged map[rangedKey]folded
}

// A rangedKey is a range variable and the path of its field that is
// folded ("" for the variable itself).
type rangedKey struct {
	v    *types.Var
	path string
}

// folded is what an expression folds to, and whether it does.
type folded struct {
	s  string
	ok bool
}

// A boundOperand is a call's operand, folded as its caller's folder folds
// it.
type boundOperand struct {
	expr   ast.Expr
	caller *folder
}

// marker is what operand i folds to inside a helper, or with a path, the
// field of operand i at that path (s.cfg.Addr: "cfg.Addr" of the
// receiver): no address or port holds these bytes.
func marker(i int, path string) string {
	if path != "" {
		return "\x00" + strconv.Itoa(i) + "." + path + "\x00"
	}
	return "\x00" + strconv.Itoa(i) + "\x00"
}

// markerOf returns the operand, and the path in it, that s is the marker
// of.
func markerOf(s string) (int, string, bool) {
	if len(s) < 3 || s[0] != 0 || s[len(s)-1] != 0 || strings.IndexByte(s[1:len(s)-1], 0) >= 0 {
		return 0, "", false
	}
	op, path, _ := strings.Cut(s[1:len(s)-1], ".")
	i, err := strconv.Atoi(op)
	return i, path, err == nil
}

// splitScheme is knowledge.SplitScheme, also splitting a scheme that is
// an operand of a helper (network + "://" + addr).
func splitScheme(addr string) (network, rest string) {
	if n, r, ok := strings.Cut(addr, "://"); ok {
		if _, _, isMarker := markerOf(n); isMarker {
			return n, r
		}
	}
	return knowledge.SplitScheme(addr)
}

// operandOf returns the operand s is the marker of, or -1.
func operandOf(s string) int {
	if i, path, ok := markerOf(s); ok && path == "" {
		return i
	}
	return -1
}

// fold returns the string e builds, if it can be told.
func (f *folder) fold(e ast.Expr) (string, bool) { return f.foldDepth(e, 0) }

func (f *folder) foldDepth(e ast.Expr, depth int) (string, bool) {
	if depth > 8 || e == nil {
		return "", false
	}
	e = ast.Unparen(e)
	if tv, ok := f.info.Types[e]; ok && tv.Value != nil {
		switch tv.Value.Kind() {
		case constant.String:
			return constant.StringVal(tv.Value), true
		case constant.Int:
			return tv.Value.ExactString(), true
		}
		return "", false
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := f.info.Uses[e].(*types.Var)
		if !ok {
			return "", false
		}
		if i, ok := f.env[v]; ok {
			return marker(i, ""), true
		}
		if b, ok := f.bound[v]; ok {
			return b.caller.foldDepth(b.expr, depth+1)
		}
		def := f.onlyValue(v)
		if def == nil {
			return f.foldRanged(v, nil, depth)
		}
		return f.foldDepth(def, depth+1)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := f.foldDepth(e.X, depth+1)
		if !ok {
			return "", false
		}
		y, ok := f.foldDepth(e.Y, depth+1)
		if !ok {
			return "", false
		}
		if isString(f.info.TypeOf(e)) {
			return x + y, true
		}
		a, errA := strconv.Atoi(x)
		b, errB := strconv.Atoi(y)
		if errA != nil || errB != nil {
			return "", false
		}
		return strconv.Itoa(a + b), true
	case *ast.CallExpr:
		return f.foldCall(e, depth)
	case *ast.SelectorExpr:
		return f.foldField(e, depth)
	}
	return "", false
}

// foldField folds a field: of a helper's operand, to the marker of its
// path (s.addr in a method listens on its receiver's addr); of a value
// built from a literal or a constructor, to what the field was given.
func (f *folder) foldField(sel *ast.SelectorExpr, depth int) (string, bool) {
	base, path := fieldPath(f.info, sel)
	if base == nil {
		return "", false
	}
	if id, ok := base.(*ast.Ident); ok {
		if v, ok := f.info.Uses[id].(*types.Var); ok {
			if b, ok := f.bound[v]; ok {
				// c.port in c.Address(): the field of what the call's
				// receiver was built with.
				return b.caller.foldPath(b.expr, path, depth)
			}
		}
	}
	return f.foldPath(base, path, depth)
}

// foldPath folds the field at path of the value base was built with.
func (f *folder) foldPath(base ast.Expr, path []string, depth int) (string, bool) {
	if id, ok := ast.Unparen(base).(*ast.Ident); ok {
		if v, ok := f.info.Uses[id].(*types.Var); ok && f.idx.RangedOver(v) != nil {
			return f.foldRanged(v, path, depth) // tc.addr in for _, tc := range tests
		}
	}
	v, _, rest := f.fieldValue(base, path, depth)
	if v == nil {
		return "", false
	}
	if len(rest) > 0 {
		// s.addr, or opts.Port after opts := s.opts, in a method: the
		// field of a helper's operand, its marker.
		if id, ok := v.(*ast.Ident); ok {
			if pv, ok := f.info.Uses[id].(*types.Var); ok {
				if i, ok := f.env[pv]; ok {
					return marker(i, strings.Join(rest, ".")), true
				}
			}
		}
		return "", false
	}
	return f.foldDepth(v, depth+1)
}

// foldRanged folds v, the value variable of a for-range statement, or its
// field at path: what each element of the collection it ranges over (a
// table of cases) folds to. One iteration listens on each, so the first
// with a fixed port is the one told; without one, the first, when every
// element folds.
func (f *folder) foldRanged(v *types.Var, path []string, depth int) (string, bool) {
	coll := f.idx.RangedOver(v)
	if coll == nil || depth > 8 {
		return "", false
	}
	key := rangedKey{v, strings.Join(path, ".")}
	if r, ok := f.ranged[key]; ok {
		return r.s, r.ok
	}
	s, ok := f.foldElements(coll, path, depth)
	if f.ranged != nil {
		f.ranged[key] = folded{s, ok}
	}
	return s, ok
}

// foldElements is foldRanged for coll, the collection the variable ranges
// over.
func (f *folder) foldElements(coll ast.Expr, path []string, depth int) (string, bool) {
	var first, fixed string
	folded := 0
	all := f.idx.Elements(coll, func(elt ast.Expr) bool {
		s, ok := f.foldDepth(elt, depth+1)
		if len(path) > 0 {
			s, ok = f.foldPath(elt, path, depth+1)
		}
		if !ok {
			return false
		}
		if folded == 0 {
			first = s
		}
		folded++
		if PortOf(s).Fixed != 0 {
			fixed = s
			return false
		}
		return true
	})
	switch {
	case fixed != "":
		return fixed, true
	case all && folded > 0:
		return first, true
	}
	return "", false
}

func isString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// foldCall folds the calls that build addresses.
func (f *folder) foldCall(call *ast.CallExpr, depth int) (string, bool) {
	if tv, ok := f.info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		// string(s) of a string type, int(n): the same value. A
		// conversion of an integer to a string makes a rune: not folded.
		if isString(tv.Type) != isString(f.info.TypeOf(call.Args[0])) {
			return "", false
		}
		return f.foldDepth(call.Args[0], depth+1)
	}
	fn, ok := typeutil.Callee(f.info, call).(*types.Func)
	if !ok || call.Ellipsis.IsValid() {
		return "", false
	}
	args := make([]string, len(call.Args))
	foldArgs := func(from int) bool {
		for i := from; i < len(call.Args); i++ {
			s, ok := f.foldDepth(call.Args[i], depth+1)
			if !ok {
				return false
			}
			args[i] = s
		}
		return true
	}
	switch {
	case knowledge.IsFunc(fn, "fmt", "Sprintf"):
		if len(call.Args) == 0 || !foldArgs(0) {
			return "", false
		}
		return sprintf(args[0], args[1:])
	case knowledge.IsFunc(fn, "net", "JoinHostPort"):
		if len(call.Args) != 2 || !foldArgs(0) {
			return "", false
		}
		return net.JoinHostPort(args[0], args[1]), true
	case knowledge.IsFunc(fn, "strconv", "Itoa"):
		if len(call.Args) != 1 || !foldArgs(0) {
			return "", false
		}
		return args[0], true
	case knowledge.IsFunc(fn, "strconv", "FormatInt", "FormatUint"):
		if len(call.Args) != 2 || !foldArgs(0) || args[1] != "10" {
			return "", false
		}
		return args[0], true
	}
	return f.foldReturned(call, depth)
}

// foldReturned folds a call of a function or method of the package to
// what each of its return statements gives, the same string from all,
// with its parameters and receiver standing for the call's operands
// (addr() returning ":9095"; c.Address() returning
// fmt.Sprintf("%s:%d", c.host, c.port) for c := cfg{host: ..., port: 9097}).
func (f *folder) foldReturned(call *ast.CallExpr, depth int) (string, bool) {
	ref, operands, ok := f.idx.Callee(call)
	if !ok || ref.Func == nil || ref.Func.Signature().Results().Len() != 1 {
		return "", false
	}
	fn := f.idx.FuncOf(ref.Func)
	if fn == nil || len(fn.Returns) == 0 {
		return "", false
	}
	callee := &folder{info: f.info, idx: f.idx, r: f.r, bound: make(map[*types.Var]boundOperand)}
	params := f.idx.Params(ref)
	if f.idx.Variadic(ref) {
		params = params[:len(params)-1] // what the call's extra arguments make
	}
	for i, p := range params {
		if i < len(operands) {
			callee.bound[p] = boundOperand{expr: operands[i], caller: f}
		}
	}
	var folded string
	for i, ret := range fn.Returns {
		if len(ret.Results) != 1 {
			return "", false
		}
		s, ok := callee.foldDepth(ret.Results[0], depth+1)
		if !ok || i > 0 && s != folded {
			return "", false
		}
		folded = s
	}
	return folded, true
}

// sprintf formats args with format when it has only the verbs that print
// a string or an integer as it is (%s, %d, %v) and %%.
func sprintf(format string, args []string) (string, bool) {
	var b strings.Builder
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(format) {
			return "", false
		}
		i++
		switch format[i] {
		case '%':
			b.WriteByte('%')
		case 's', 'd', 'v':
			if n >= len(args) {
				return "", false
			}
			b.WriteString(args[n])
			n++
		default:
			return "", false
		}
	}
	if n != len(args) {
		return "", false
	}
	return b.String(), true
}

// onlyValue returns the one value v ever holds, if the assignment model
// shows it: a local or package-level variable assigned once (a
// declaration without a value, then one assignment, counts as once),
// whose address is never taken (flag.StringVar(&addr, ...) sets it).
// An exported package-level variable may be set by other packages (an
// external test package among them): it is not followed.
func (f *folder) onlyValue(v *types.Var) ast.Expr {
	if v.IsField() || v.Kind() == types.ParamVar || v.Kind() == types.ResultVar || v.Kind() == types.RecvVar || f.idx.Opaque(v) {
		return nil
	}
	if testmodel.IsPackageLevel(v) && v.Exported() {
		return nil
	}
	var value ast.Expr
	for _, a := range f.idx.Assignments(v) {
		switch {
		case a.Value == nil:
			continue // var addr string: then set
		case a.Result >= 0 || value != nil:
			return nil
		}
		value = a.Value
	}
	return value
}

// A Port is what an address folds to.
type Port struct {
	Fixed   int    // a fixed port, 1 to 65535; 0: none
	addr    int    // the operand (+1) that is the whole address; 0: none
	operand int    // the operand (+1) that is the port; 0: none
	path    string // the field of the operand that is the address or port, if one is: "cfg.Addr"
}

// PortOf tells what the folded address addr listens on. A
// "network://" scheme (gnet's) is left out; a unix socket has no port.
func PortOf(addr string) Port {
	network, addr := splitScheme(addr)
	if knowledge.IsUnixNetwork(network) {
		return Port{}
	}
	if i, path, ok := markerOf(addr); ok {
		return Port{addr: i + 1, path: path}
	}
	colon := strings.LastIndexByte(addr, ':')
	if colon < 0 {
		return Port{}
	}
	p := addr[colon+1:]
	if i, path, ok := markerOf(p); ok {
		return Port{operand: i + 1, path: path}
	}
	if strings.IndexByte(addr, 0) >= 0 || strings.ContainsAny(addr, "/") {
		return Port{} // built from operands, or a socket path
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return Port{}
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 || n > 65535 || p[0] == '+' {
		// 0 picks a free port; past 65535 cannot be bound, on purpose.
		return Port{}
	}
	return Port{Fixed: n}
}
