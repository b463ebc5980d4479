package funcindex

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/testraces/testraces/analyzer/internal/testmodel"
)

// An Assignment is one value a variable or field is given: by an
// assignment, a declaration, or a field of a composite literal.
type Assignment struct {
	// Value is the right-hand side; nil for a declaration without a
	// value (the zero value).
	Value ast.Expr
	// Result is which result of the multi-valued Value (a call, a map
	// index, a receive, a type assertion) the variable is given; -1 when
	// Value has one.
	Result int
	// Stmt is the *ast.AssignStmt, *ast.ValueSpec or *ast.CompositeLit.
	Stmt ast.Node
	// In is the function the assignment is in; nil at package level.
	In *Func
}

// Assignments returns every value v, a local or package-level variable or
// a struct field, is given in this package, in source order. Only
// variables whose values may be followed to code or to a test are
// indexed: functions, pointers, interfaces and structs (not errors); and,
// for addresses and ports built from them, strings and integers; others
// have none.
func (x *Index) Assignments(v *types.Var) []Assignment {
	if v != nil && v.IsField() {
		v = v.Origin() // a field of a generic type is indexed as declared
	}
	if x.scanned(v) {
		return x.scan(v).assigns[v]
	}
	return x.assigns[v]
}

// LocalStores returns what each variable of fn's declaration, or a part
// of it, is given in that declaration, in source order: v = e, and
// v.f = e, v[k] = e, *v = e, each of which puts e's value into what v
// holds. A value built from a part (an address in a configuration's
// field) is then built from v. Like a scalar's assignments, they are
// found by a scan when asked, not kept.
func (x *Index) LocalStores(fn *Func) map[*types.Var][]Assignment {
	scratch := newIndex(x.fset, x.pkg, x.info, x.files)
	b := builder{x: scratch, fset: x.fset, stores: make(map[*types.Var][]Assignment)}
	inspect(fn.Root().Node, b.visit)
	for _, as := range b.stores {
		for i := range as {
			if as[i].In != nil {
				as[i].In = x.byNode[as[i].In.Node]
			}
		}
	}
	return b.stores
}

// Opaque reports whether v is also given values that no Assignment shows:
// by a range clause, an op= or ++, or through its address.
func (x *Index) Opaque(v *types.Var) bool {
	if x.scanned(v) {
		return x.scan(v).opaque[v]
	}
	return x.opaque[v]
}

// AssignedOnce reports whether v is assigned only where it is declared
// (or, for a parameter, never): it holds one value for its lifetime.
// Taking its address does not count: it is meaningful for the variables
// Assignments indexes.
func (x *Index) AssignedOnce(v *types.Var) bool { return len(x.Assignments(v)) <= 1 }

// Def returns the one value v is ever given, if it is assigned once, by a
// single-valued expression.
func (x *Index) Def(v *types.Var) ast.Expr {
	if as := x.Assignments(v); len(as) == 1 && as[0].Result < 0 {
		return as[0].Value
	}
	return nil
}

// Literal returns the composite literal that e is, takes the address of,
// or, for a variable assigned once, was given that way (w := &worker{...});
// nil if none.
func (x *Index) Literal(e ast.Expr) *ast.CompositeLit {
	unaddr := func(e ast.Expr) ast.Expr {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			return ast.Unparen(u.X)
		}
		return e
	}
	e = unaddr(e)
	if v := testmodel.VarOf(x.info, e); v != nil {
		if def := x.Def(v); def != nil {
			e = unaddr(def)
		}
	}
	lit, _ := e.(*ast.CompositeLit)
	return lit
}

// Bindings returns the function values that v is given in this package.
func (x *Index) Bindings(v *types.Var) []ast.Expr {
	var values []ast.Expr
	for _, a := range x.assigns[v] {
		if a.Result < 0 && a.Value != nil && IsFunc(x.info.TypeOf(a.Value)) {
			values = append(values, a.Value)
		}
	}
	return values
}

// IsFunc reports whether t is a function type: its values may be called.
func IsFunc(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

func (b *builder) assignStmt(n *ast.AssignStmt, in *Func) {
	switch {
	case n.Tok != token.ASSIGN && n.Tok != token.DEFINE: // x += y
		for _, lhs := range n.Lhs {
			b.markOpaque(lhs, false)
		}
	case len(n.Lhs) == len(n.Rhs):
		for i, lhs := range n.Lhs {
			b.assign(lhs, Assignment{Value: n.Rhs[i], Result: -1, Stmt: n, In: in})
		}
	case len(n.Rhs) == 1:
		for i, lhs := range n.Lhs {
			b.assign(lhs, Assignment{Value: n.Rhs[0], Result: i, Stmt: n, In: in})
		}
	}
}

func (b *builder) valueSpec(n *ast.ValueSpec, in *Func) {
	for i, name := range n.Names {
		a := Assignment{Result: -1, Stmt: n, In: in}
		switch {
		case len(n.Values) == len(n.Names):
			a.Value = n.Values[i]
		case len(n.Values) == 1:
			a.Value, a.Result = n.Values[0], i
		}
		b.assign(name, a)
	}
}

// compositeFields records the fields a struct literal sets.
func (b *builder) compositeFields(lit *ast.CompositeLit, in *Func) {
	typ := testmodel.TypeOf(b.x.info, lit)
	if typ == nil {
		return
	}
	st, ok := typ.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		var field *types.Var
		value := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			key, _ := kv.Key.(*ast.Ident)
			if key == nil {
				continue
			}
			field, _ = b.x.info.Uses[key].(*types.Var)
			value = kv.Value
		} else if i < st.NumFields() {
			field = st.Field(i)
		}
		if field != nil && field.IsField() && indexed(field.Type()) {
			field = field.Origin() // Box[int]{f: g} sets the field that Box[T]'s methods read
			b.x.assigns[field] = append(b.x.assigns[field], Assignment{Value: value, Result: -1, Stmt: lit, In: in})
		}
	}
}

func (b *builder) assign(lhs ast.Expr, a Assignment) {
	if b.stores != nil {
		if v := b.x.wholeVar(lhs); v != nil && !v.IsField() {
			b.stores[v] = append(b.stores[v], a)
		}
	}
	if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
		if v := b.lhsVar(ix.X, false); v != nil {
			b.x.elemWritten[v] = true
		}
		return
	}
	if v := b.lhsVar(lhs, mayDefine(a.Stmt)); v != nil && b.indexedVar(v) {
		b.x.assigns[v] = append(b.x.assigns[v], a)
	}
}

func (b *builder) markOpaque(e ast.Expr, mayDefine bool) {
	if e == nil {
		return
	}
	if v := b.lhsVar(e, mayDefine); v != nil && b.indexedVar(v) {
		b.x.opaque[v] = true
	}
}

// mayDefine reports whether the names stmt assigns may be declared there:
// a short variable declaration or a var declaration, not an assignment.
func mayDefine(stmt ast.Node) bool {
	as, ok := stmt.(*ast.AssignStmt)
	return !ok || as.Tok == token.DEFINE
}

// wholeVar returns the variable that e, an assignment's left-hand side,
// is part of: v for v, v.f.g, v[k] and *v; nil for a package's variable
// through its name (pkg.v), or a part of what a call returns.
func (x *Index) wholeVar(e ast.Expr) *types.Var {
	for {
		switch x2 := ast.Unparen(e).(type) {
		case *ast.Ident:
			if v, ok := x.info.Defs[x2].(*types.Var); ok {
				return v
			}
			v, _ := x.info.Uses[x2].(*types.Var)
			return v
		case *ast.SelectorExpr:
			if sel := x.info.Selections[x2]; sel == nil || sel.Kind() != types.FieldVal {
				return nil
			}
			e = x2.X
		case *ast.IndexExpr:
			e = x2.X
		case *ast.StarExpr:
			e = x2.X
		default:
			return nil
		}
	}
}

// lhsVar returns the variable or field that e denotes, or nil. A name
// that may be declared where it is (:=, var) is looked up among the
// definitions too; one that cannot (=, x++, &x) among the uses only.
func (b *builder) lhsVar(e ast.Expr, mayDefine bool) *types.Var {
	info := b.x.info
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if e.Name == "_" {
			return nil
		}
		if !mayDefine {
			v, _ := info.Uses[e].(*types.Var)
			return v
		}
		if v, ok := info.Defs[e].(*types.Var); ok {
			return v
		}
		v, _ := info.Uses[e].(*types.Var)
		return v
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if v, ok := sel.Obj().(*types.Var); ok {
				return v.Origin()
			}
		}
	}
	return nil
}

var errorType = types.Universe.Lookup("error").Type()

// indexed reports whether the assignments of variables of type t are
// indexed: those that can hold a function, a testing value, a context, a
// handler or a server, and slices and maps of functions and interfaces.
// Errors, numbers, strings and other slices and maps, the bulk of a
// test's variables, cannot.
func indexed(t types.Type) bool {
	if t == nil || types.Identical(t, errorType) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Signature, *types.Pointer, *types.Interface, *types.Struct:
		return true
	case *types.Slice:
		return holdsCode(u.Elem())
	case *types.Array:
		return holdsCode(u.Elem())
	case *types.Map:
		return holdsCode(u.Elem())
	}
	return false
}

// holdsCode reports whether an element of type t may be called or hold
// what is: a function or an interface (not an error). A table of
// functions or handlers is followed; a slice of numbers or of records is
// not.
func holdsCode(t types.Type) bool {
	if types.Identical(t, errorType) {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	}
	return false
}

// indexedVar reports whether the builder records the assignments of v:
// those of the types indexed indexes, and, in a scan, the variable it
// scans for.
func (b *builder) indexedVar(v *types.Var) bool {
	return indexed(v.Type()) || v == b.scalar
}

// isScalar reports whether v is a string or integer variable (not a
// field), from which an address or a port is built (fixedport folds them
// to constants). Their assignments are many (every loop counter), and
// few are ever asked for: they are found by a scan of the code that can
// assign v when asked, not kept.
func isScalar(v *types.Var) bool {
	if v == nil || v.IsField() {
		return false
	}
	b, ok := v.Type().Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsString|types.IsInteger) != 0
}

// scanned reports whether what v is given is found by a scan when asked,
// not kept: a scalar of this package.
func (x *Index) scanned(v *types.Var) bool {
	return v != nil && v.Pkg() == x.pkg && isScalar(v)
}

// scannedTable reports whether v is a table of records or scalars of this
// package, whose values only RangedOver and Elements scan for: asked of
// every byte slice a function passes around, a scan each time would cost
// more than all the rest.
func (x *Index) scannedTable(v *types.Var) bool {
	return v != nil && v.Pkg() == x.pkg && isTable(v)
}

// isTable reports whether v, not a field, is a slice, array or map whose
// elements hold no code: a test's table of cases, or of addresses.
func isTable(v *types.Var) bool {
	if v.IsField() || indexed(v.Type()) {
		return false
	}
	switch v.Type().Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
		return true
	}
	return false
}

// scan returns a scratch index of what v, a scalar or a table, is given
// (its assignments, whether it is opaque), from the code that can assign
// it: its function, or the package for a package-level variable. The
// index is read-only; nothing is kept.
func (x *Index) scan(v *types.Var) *Index {
	return x.scanWhere(v, v.Parent() == x.pkg.Scope())
}

// scanWhere is scan, of the whole package when all is set, else of v's
// declaration only: for a package-level table, what it is declared with.
func (x *Index) scanWhere(v *types.Var, all bool) *Index {
	scratch := newIndex(x.fset, x.pkg, x.info, x.files)
	b := builder{x: scratch, fset: x.fset, scalar: v}
	if all {
		for _, file := range x.files {
			inspect(file, b.visit)
		}
	} else if decl := x.DeclarationOf(v); decl != nil {
		inspect(decl, b.visit)
	}
	as := scratch.assigns[v]
	for i := range as {
		if as[i].In != nil {
			as[i].In = x.byNode[as[i].In.Node]
		}
	}
	return scratch
}

// send records the value n sends on a local channel of functions or
// interfaces.
func (b *builder) send(n *ast.SendStmt) {
	id, ok := ast.Unparen(n.Chan).(*ast.Ident)
	if !ok {
		return
	}
	v, ok := b.x.info.Uses[id].(*types.Var)
	if !ok {
		return
	}
	if ch, ok := v.Type().Underlying().(*types.Chan); ok && holdsCode(ch.Elem()) {
		b.x.sent[v] = append(b.x.sent[v], n.Value)
	}
}

// typeSwitch records, for switch h := v.(type), that each clause's h is v.
func (b *builder) typeSwitch(n *ast.TypeSwitchStmt) {
	as, ok := n.Assign.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return
	}
	ta, ok := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr)
	if !ok {
		return
	}
	for _, stmt := range n.Body.List {
		if v, ok := b.x.info.Implicits[stmt].(*types.Var); ok && indexed(v.Type()) {
			b.x.switched[v] = ta.X
		}
	}
}
