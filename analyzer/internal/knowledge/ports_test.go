package knowledge

import (
	"go/types"
	"strings"
	"testing"
)

// TestListenAddressesNameFunctions checks that every standard library
// entry of listenAddresses names a function or method of its package whose
// address (and network) operand is a string, or a server type with the
// address field: a typo or a shifted operand would silently stop a listen
// being checked. (The frameworks' entries are checked by the fixedport
// testdata's stubs, which have their signatures.)
func TestListenAddressesNameFunctions(t *testing.T) {
	var paths []string
	for path := range listenAddresses {
		if IsStd(path) {
			paths = append(paths, path)
		}
	}
	pkgs := loadTypes(t, paths...)
	for _, path := range paths {
		pkg := pkgs[path]
		if pkg == nil {
			continue
		}
		for name, at := range listenAddresses[path] {
			typ, method, isMethod := strings.Cut(name, ".")
			obj := pkg.Scope().Lookup(typ)
			var recv types.Type
			if isMethod && obj != nil {
				recv = obj.Type()
				obj, _, _ = types.LookupFieldOrMethod(types.NewPointer(recv), true, pkg, method)
			}
			fn, _ := obj.(*types.Func)
			if fn == nil {
				t.Errorf("%s.%s is no function or method", path, name)
				continue
			}
			got, ok := ListensAt(fn)
			if !ok || got != at {
				t.Errorf("ListensAt(%s.%s) = %+v, %v; want %+v", path, name, got, ok, at)
			}
			var operands []types.Type
			if isMethod {
				operands = append(operands, recv)
			}
			for i := range fn.Signature().Params().Len() {
				operands = append(operands, fn.Signature().Params().At(i).Type())
			}
			for _, i := range []int{at.Network, at.Addr} {
				if i < 0 {
					continue
				}
				if i >= len(operands) || !types.Identical(operands[i], types.Typ[types.String]) {
					t.Errorf("%s.%s: operand %d is no string", path, name, i)
				}
			}
			if at.AddrField != "" {
				field, _, _ := types.LookupFieldOrMethod(recv, true, pkg, at.AddrField)
				if v, ok := field.(*types.Var); !ok || !v.IsField() || !types.Identical(v.Type(), types.Typ[types.String]) {
					t.Errorf("%s.%s: the receiver has no string field %s", path, name, at.AddrField)
				}
			}
		}
	}
}
