package knowledge_test

import (
	"go/types"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// TestTestServer builds Go 1.27's httptest API by hand (this Go has no
// NewTestServer) and checks what knowledge says of it.
func TestTestServer(t *testing.T) {
	for _, path := range []string{"net/http/httptest", "example.com/vendor/net/http/httptest"} {
		pkg := types.NewPackage(path, "httptest")
		srv := types.NewNamed(types.NewTypeName(0, pkg, "Server", nil), types.NewStruct(nil, nil), nil)
		recv := types.NewVar(0, pkg, "s", types.NewPointer(srv))
		method := func(name string) *types.Func {
			return types.NewFunc(0, pkg, name, types.NewSignatureType(recv, nil, nil, nil, nil, false))
		}
		newTestServer := types.NewFunc(0, pkg, "NewTestServer", types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewVar(0, pkg, "", types.NewPointer(srv))), false))
		if !knowledge.IsNewTestServer(newTestServer) || !knowledge.IsTestServerType(types.NewPointer(srv)) {
			t.Errorf("%s: NewTestServer or its Server not known", path)
		}
		for name, want := range map[string]knowledge.TestServerCall{
			"Client": knowledge.TestServerClient, "Start": knowledge.TestServerStart, "StartTLS": knowledge.TestServerStart,
			"Close": knowledge.TestServerOther, "Certificate": knowledge.TestServerOther,
		} {
			if got := knowledge.TestServerMethod(method(name)); got != want {
				t.Errorf("%s: Server.%s is %v, want %v", path, name, got, want)
			}
		}
	}
	other := types.NewPackage("example.com/httptest", "httptest")
	if knowledge.IsNewTestServer(types.NewFunc(0, other, "NewTestServer", types.NewSignatureType(nil, nil, nil, nil, nil, false))) {
		t.Error("a NewTestServer of another httptest package is known")
	}
}

// TestKnownWithoutCode checks that net/http/httptest, which imports
// testing from Go 1.27 on, and testing itself, with its Testing function,
// are known from the tables, and that each package with its own tests
// (TestX(t *testing.T)) is not.
func TestKnownWithoutCode(t *testing.T) {
	testingPkg := types.NewPackage("testing", "testing")
	T := types.NewNamed(types.NewTypeName(0, testingPkg, "T", nil), types.NewStruct(nil, nil), nil)
	for _, path := range []string{"net/http/httptest", "testing"} {
		newPkg := func(funcs ...*types.Signature) *types.Package {
			pkg := types.NewPackage(path, path)
			pkg.SetImports([]*types.Package{testingPkg})
			for i, sig := range funcs {
				pkg.Scope().Insert(types.NewFunc(0, pkg, []string{"Testing", "TestServer"}[i], sig))
			}
			return pkg
		}
		noTest := types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewVar(0, nil, "", types.Typ[types.Bool])), false)
		test := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewVar(0, nil, "t", types.NewPointer(T))), nil, false)
		if !knowledge.KnownWithoutCode(newPkg(noTest)) {
			t.Errorf("%s, with a Testing function and no test, is read", path)
		}
		if knowledge.KnownWithoutCode(newPkg(noTest, test)) {
			t.Errorf("%s with its own tests is not read", path)
		}
	}
}
