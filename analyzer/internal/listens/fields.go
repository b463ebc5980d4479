package listens

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/testraces/testraces/analyzer/internal/funcindex"
	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// fieldPath returns the value whose fields sel selects, and their names
// from the outermost: s.cfg.Addr is s and [cfg Addr]. base is nil when
// sel selects something other than fields (a method, a package's name).
func fieldPath(info *types.Info, sel *ast.SelectorExpr) (base ast.Expr, path []string) {
	var e ast.Expr = sel
	for {
		s, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			break
		}
		if sn, ok := info.Selections[s]; !ok || sn.Kind() != types.FieldVal {
			return nil, nil
		}
		path = append(path, s.Sel.Name)
		e = s.X
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return ast.Unparen(e), path
}

// fieldValue follows e, a struct or a pointer to one, to the value its
// field at path was given: through composite literals, variables
// assigned once (whose fields nothing assigns afterwards), and the
// constructors that hold their operands in their result's fields (Holds).
// It returns the value, the key-value that set it when a literal did, and
// the part of path it could not follow (from a helper's parameter, whose
// fields the helper's callers give).
func (f *folder) fieldValue(e ast.Expr, path []string, depth int) (ast.Expr, *ast.KeyValueExpr, []string) {
	var kv *ast.KeyValueExpr
	for ; depth < 12; depth++ {
		e = ast.Unparen(e)
		if len(path) == 0 {
			return e, kv, nil
		}
		switch x := e.(type) {
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil, nil, nil
			}
			e = x.X
		case *ast.CompositeLit:
			kv = keyed(x, path[0])
			if kv == nil {
				// Set by position ({"a", ":8080"}, a table's case), or
				// the field's zero value.
				elt := f.positional(x, path[0])
				if elt == nil {
					return nil, nil, nil
				}
				e, path = elt, path[1:]
				continue
			}
			e, path = kv.Value, path[1:]
		case *ast.Ident:
			v, _ := f.info.Uses[x].(*types.Var)
			if v == nil {
				return nil, nil, nil
			}
			if _, ok := f.env[v]; ok || v.Kind() == types.ParamVar || v.Kind() == types.RecvVar {
				return e, kv, path
			}
			if f.fieldAssigned(v, path[0]) {
				// o := DefaultOptions(); o.Port = 4222: what the store
				// in straight-line code gives the field, if it is the
				// field's only one.
				value, rest, ok := f.fieldStore(v, path)
				if !ok {
					return nil, nil, nil
				}
				if value != nil {
					e, path = value, rest
					continue
				}
			}
			value := f.onlyValue(v)
			if value == nil {
				return nil, nil, nil
			}
			e = value
		case *ast.SelectorExpr:
			// a.srv given for its Addr: the field at srv.Addr of a.
			base, fields := fieldPath(f.info, x)
			if base == nil {
				return nil, nil, nil
			}
			e, path = base, append(fields, path...)
		case *ast.CallExpr:
			if ret := f.onlyReturned(x); ret != nil {
				e = ret // newBackend(t) returning &http.Server{Addr: ...}
				continue
			}
			if recv, fields := f.getter(x); recv != nil {
				e, path = recv, append(fields, path...) // s.getOpts() returning s.opts
				continue
			}
			e, path = f.held(x, path)
			if e == nil {
				return nil, nil, nil
			}
		default:
			return nil, nil, nil
		}
	}
	return nil, nil, nil
}

// getter returns, for call of a method of the package that returns a
// field of its receiver (s.getOpts() returning s.opts, directly or
// through a local assigned it once), the receiver call is given and the
// path of that field; nil if the method is no such getter.
func (f *folder) getter(call *ast.CallExpr) (ast.Expr, []string) {
	ref, _, ok := f.idx.Callee(call)
	if !ok || ref.Func == nil || len(ref.Bound) != 1 || ref.Func.Signature().Results().Len() != 1 {
		return nil, nil
	}
	fn := f.idx.FuncOf(ref.Func)
	recv := ref.Func.Signature().Recv()
	if fn == nil || recv == nil || len(fn.Returns) == 0 {
		return nil, nil
	}
	var fields []string
	for _, ret := range fn.Returns {
		if len(ret.Results) != 1 {
			return nil, nil
		}
		res := ast.Unparen(ret.Results[0])
		if id, ok := res.(*ast.Ident); ok {
			if v, ok := f.info.Uses[id].(*types.Var); ok && v != recv {
				res = ast.Unparen(f.onlyValue(v)) // opts := s.opts; return opts
			}
		}
		sel, ok := res.(*ast.SelectorExpr)
		if !ok {
			return nil, nil
		}
		base, path := fieldPath(f.info, sel)
		id, ok := base.(*ast.Ident)
		if !ok || f.info.Uses[id] != recv || fields != nil && !slices.Equal(fields, path) {
			return nil, nil
		}
		fields = path
	}
	return ref.Bound[0], fields
}

// onlyReturned returns what call, of a function of the package given
// nothing but testing values, returns: the one value all its return
// statements give, when that is a variable or a literal of its own.
func (f *folder) onlyReturned(call *ast.CallExpr) ast.Expr {
	ref, operands, ok := f.idx.Callee(call)
	if !ok || ref.Func == nil || len(ref.Bound) > 0 || f.r.fact(ref.Func.Origin()) != nil && len(f.r.fact(ref.Func.Origin()).Holds) > 0 {
		return nil
	}
	fn := f.idx.FuncOf(ref.Func)
	if fn == nil || len(fn.Returns) == 0 {
		return nil
	}
	for _, op := range operands {
		if !testmodel.IsTestingType(f.info.TypeOf(op)) {
			return nil // newServer(addr): the address may come from the caller
		}
	}
	var only ast.Expr
	for _, ret := range fn.Returns {
		if len(ret.Results) == 0 {
			return nil
		}
		res := ast.Unparen(ret.Results[0])
		switch r := res.(type) {
		case *ast.Ident:
			if v, ok := f.info.Uses[r].(*types.Var); !ok || v.Kind() != types.LocalVar {
				return nil
			}
		case *ast.UnaryExpr, *ast.CompositeLit:
		default:
			return nil
		}
		if only != nil && types.ExprString(only) != types.ExprString(res) {
			return nil
		}
		only = res
	}
	return only
}

// positional returns the element of lit, a struct literal without keys,
// that sets field name.
func (f *folder) positional(lit *ast.CompositeLit, name string) ast.Expr {
	t := f.info.TypeOf(lit)
	if t == nil || len(lit.Elts) == 0 {
		return nil
	}
	if _, ok := lit.Elts[0].(*ast.KeyValueExpr); ok {
		return nil
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || st.NumFields() != len(lit.Elts) {
		return nil
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() == name {
			return lit.Elts[i]
		}
	}
	return nil
}

// keyed returns the key-value of lit that sets field name.
func keyed(lit *ast.CompositeLit, name string) *ast.KeyValueExpr {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == name {
				return kv
			}
		}
	}
	return nil
}

// held returns the operand of call, a constructor, that its result's
// field at path holds, and what is left of path in it.
func (f *folder) held(call *ast.CallExpr, path []string) (ast.Expr, []string) {
	ref, operands, ok := f.idx.Callee(call)
	if !ok || ref.Func == nil {
		return nil, nil
	}
	fact := f.r.fact(ref.Func.Origin())
	if fact == nil {
		return nil, nil
	}
	joined := strings.Join(path, ".")
	for _, h := range fact.Holds {
		if h.Operand >= len(operands) || joined != h.Path && !strings.HasPrefix(joined, h.Path+".") {
			continue
		}
		rest := path[strings.Count(h.Path, ".")+1:]
		if h.Sub != "" {
			rest = append(strings.Split(h.Sub, "."), rest...)
		}
		return operands[h.Operand], rest
	}
	return nil, nil
}

// fieldAssigned reports whether the function that declares v assigns v's
// field name (srv.Addr = ...) anywhere: then a literal's value is not the
// one the field holds when it is used.
func (f *folder) fieldAssigned(v *types.Var, name string) bool {
	var scope []ast.Node
	switch decl := f.idx.DeclarationOf(v); {
	case testmodel.IsPackageLevel(v) && !v.Exported():
		// var basicConfig = Config{Address: ":22222"}: any function of
		// the package may set its field, or call a method that does.
		for _, file := range f.idx.Files() {
			scope = append(scope, file)
		}
	case decl == nil || testmodel.IsPackageLevel(v):
		return true // any function may
	default:
		scope = []ast.Node{decl}
	}
	for _, n := range scope {
		if f.fieldSetIn(n, v, name) {
			return true
		}
	}
	return false
}

// fieldSetIn reports whether the code of root assigns v's field name, or,
// for a package-level v, calls a method of v with a pointer receiver.
func (f *folder) fieldSetIn(root ast.Node, v *types.Var, name string) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && testmodel.IsPackageLevel(v) {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && testmodel.RootVar(f.info, sel.X) == v {
				if sn := f.info.Selections[sel]; sn != nil && sn.Kind() == types.MethodVal {
					if sig, ok := sn.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						if _, pointer := sig.Recv().Type().(*types.Pointer); pointer {
							found = true
						}
					}
				}
			}
		}
		if as, ok := n.(*ast.AssignStmt); ok && !found {
			for _, lhs := range as.Lhs {
				// a.srv.Addr = ... sets a's field srv too.
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && testmodel.RootVar(f.info, sel.X) == v && setsField(sel, name) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// fieldStore returns the value that the one assignment of v's field at
// path, or of a field on the way to it, gives it, with the rest of path:
// when that assignment follows v's declaration in the block that
// declares v, and nothing else in v's function assigns the field or a
// field of it. A nil value with ok means no assignment sets the field at
// path (they set others beside it: o.Gateway.Host for o.Gateway.Port).
func (f *folder) fieldStore(v *types.Var, path []string) (value ast.Expr, rest []string, ok bool) {
	decl := f.idx.DeclarationOf(v)
	if decl == nil || testmodel.IsPackageLevel(v) {
		return nil, nil, false
	}
	var store ast.Stmt
	ok = true
	ast.Inspect(decl, func(n ast.Node) bool {
		as, isAssign := n.(*ast.AssignStmt)
		if !ok || !isAssign {
			return ok
		}
		for i, lhs := range as.Lhs {
			fields := f.fieldsOf(lhs, v)
			if _, whole := ast.Unparen(lhs).(*ast.Ident); fields == nil && !whole && testmodel.RootVar(f.info, lhs) == v {
				ok = false // (*o).Port = ...: a part of v not read as a path here
				break
			}
			common := 0
			for common < len(fields) && common < len(path) && fields[common] == path[common] {
				common++
			}
			switch {
			case fields == nil || common < len(fields) && common < len(path):
				continue // not v's field, or another field beside path
			case common == len(fields) && store == nil && as.Tok == token.ASSIGN && len(as.Lhs) == len(as.Rhs):
				store, value, rest = as, as.Rhs[i], path[common:]
			default:
				ok = false // a second store, or one into the value's own fields
			}
		}
		return ok
	})
	if !ok || store != nil && !f.followsDeclaration(decl, v, store) {
		return nil, nil, false
	}
	return value, rest, true
}

// fieldsOf returns the fields that lhs, an assignment's left-hand side,
// selects of v: [Addr] for srv.Addr; nil if lhs is no field of v.
func (f *folder) fieldsOf(lhs ast.Expr, v *types.Var) []string {
	sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	base, fields := fieldPath(f.info, sel)
	if id, ok := base.(*ast.Ident); !ok || f.info.Uses[id] != v {
		return nil
	}
	return fields
}

// followsDeclaration reports whether stmt comes after the statement that
// declares v, in the same list of statements: whenever v is used after
// stmt, stmt has run.
func (f *folder) followsDeclaration(decl ast.Node, v *types.Var, stmt ast.Stmt) bool {
	found := false
	ast.Inspect(decl, func(n ast.Node) bool {
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		declared := false
		for _, s := range list {
			if s == stmt {
				found = declared
				return false
			}
			declared = declared || s.Pos() <= v.Pos() && v.Pos() < s.End()
		}
		return !found
	})
	return found
}

// setsField reports whether an assignment to sel sets the field name of
// the value sel is rooted at, or a field of that field.
func setsField(sel *ast.SelectorExpr, name string) bool {
	for {
		if sel.Sel.Name == name {
			return true
		}
		inner, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		sel = inner
	}
}

// holds adds to fact the fields of root's result that hold its operands:
// return &Server{addr: addr}, or a variable assigned such a literal.
func (f *folder) holds(fact *Fact, root *funcindex.Func) {
	if !returnsHolder(root) {
		return
	}
	for _, ret := range root.Returns {
		if len(ret.Results) == 0 {
			continue
		}
		if lit := f.literalOf(ret.Results[0]); lit != nil {
			f.heldIn(fact, lit, "", 0)
		}
		if id, ok := ast.Unparen(ret.Results[0]).(*ast.Ident); ok {
			if v, ok := f.info.Uses[id].(*types.Var); ok && v.Kind() == types.LocalVar {
				f.assignedFields(fact, root, v)
			}
		}
	}
}

// returnsHolder reports whether root's first result may hold fields that
// its operands fill: a constructor's.
func returnsHolder(root *funcindex.Func) bool {
	sig, ok := root.Obj.Type().(*types.Signature)
	return ok && sig.Results().Len() > 0 && mayHoldFields(sig.Results().At(0).Type())
}

// assignedFields adds the fields of v, a variable root returns, that
// root's own code assigns an operand: s := newServer(); s.laddr = laddr;
// return s.
func (f *folder) assignedFields(fact *Fact, root *funcindex.Func, v *types.Var) {
	ast.Inspect(root.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, lhs := range n.Lhs {
				sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
				if !ok {
					continue
				}
				base, path := fieldPath(f.info, sel)
				id, ok := base.(*ast.Ident)
				if !ok || f.info.Uses[id] != v {
					continue
				}
				if s, ok := f.fold(n.Rhs[i]); ok {
					if op, sub, ok := markerOf(s); ok {
						fact.addHeld(Held{Path: strings.Join(path, "."), Operand: op, Sub: sub})
					}
				}
			}
		}
		return true
	})
}

// mayHoldFields reports whether a value of type t has fields to hold
// operands in: a struct, a pointer to one, or an interface that may hold
// one.
func mayHoldFields(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	switch t.Underlying().(type) {
	case *types.Struct, *types.Interface:
		return true
	}
	return false
}

// literalOf returns the composite literal e is, or a local variable
// assigned once holds.
func (f *folder) literalOf(e ast.Expr) *ast.CompositeLit {
	for range 4 {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X
			continue
		}
		if lit, ok := e.(*ast.CompositeLit); ok {
			return lit
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return nil
		}
		v, _ := f.info.Uses[id].(*types.Var)
		if v == nil || testmodel.IsPackageLevel(v) {
			return nil
		}
		if e = f.onlyValue(v); e == nil {
			return nil
		}
	}
	return nil
}

// heldIn adds the fields of lit, at prefix, that hold an operand.
func (f *folder) heldIn(fact *Fact, lit *ast.CompositeLit, prefix string, depth int) {
	if depth > 3 {
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return
		}
		path := prefix + key.Name
		if inner := f.literalOf(kv.Value); inner != nil {
			f.heldIn(fact, inner, path+".", depth+1)
			continue
		}
		s, ok := f.fold(kv.Value)
		if !ok {
			continue
		}
		if i, sub, ok := markerOf(s); ok {
			fact.addHeld(Held{Path: path, Operand: i, Sub: sub})
		}
	}
}
