package knowledge_test

import (
	"go/types"
	"strings"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// lookup returns the function or method named "pkg.Name" or
// "pkg.Type.Name" among pkgs.
func lookup(t *testing.T, pkgs map[string]*types.Package, name string) *types.Func {
	t.Helper()
	dot := strings.LastIndex(name, "/") + strings.Index(name[strings.LastIndex(name, "/")+1:], ".") + 1
	path, member := name[:dot], name[dot+1:]
	pkg := pkgs[path]
	if pkg == nil {
		t.Fatalf("package %s not loaded", path)
	}
	typ, fn, isMethod := strings.Cut(member, ".")
	if !isMethod {
		f, _ := pkg.Scope().Lookup(typ).(*types.Func)
		if f == nil {
			t.Fatalf("no function %s", name)
		}
		return f
	}
	recv := pkg.Scope().Lookup(typ).Type()
	if !types.IsInterface(recv) {
		recv = types.NewPointer(recv)
	}
	obj, _, _ := types.LookupFieldOrMethod(recv, true, pkg, fn)
	f, _ := obj.(*types.Func)
	if f == nil {
		t.Fatalf("no method %s", name)
	}
	return f
}

func TestOf(t *testing.T) {
	pkgs := knowledge.LoadTypes(t, "net", "net/http", "sync", "time", "os", "strings", "testing", "context")
	for name, want := range map[string]knowledge.Behaviour{
		"net.Listen":                     {Listens: true, Binds: true},
		"net/http.Server.ListenAndServe": {Listens: true},
		"net/http.Get":                   {Dials: true},
		"net/http.Client.Do":             {Dials: true},
		"net.Dialer.DialContext":         {Dials: true},
		"sync.WaitGroup.Wait":            {Waits: true},
		"sync.WaitGroup.Go":              {Async: 1 << 1},
		"time.Sleep":                     {Sleeps: true},
		"time.AfterFunc":                 {Async: 1 << 1},
		"context.AfterFunc":              {Async: 1 << 1},
		"testing.M.Run":                  {RunsTests: true},
		"testing.B.RunParallel":          {FailNowSafe: 1 << 1, FailsNow: 1, Waits: true},
		"testing.T.TempDir":              {FailsNow: 1},
		"testing.TB.Setenv":              {FailsNow: 1},
		"testing.T.Run":                  {Waits: true},
		"os.Setenv":                      {SetsProcessState: true},
		"strings.Repeat":                 {},
		"net/http.Server.Serve":          {},
		"sync.Mutex.Lock":                {Locks: true},
	} {
		if got := knowledge.Of(lookup(t, pkgs, name)); got != want {
			t.Errorf("Of(%s) = %+v, want %+v", name, got, want)
		}
	}
	for name, want := range map[string]bool{
		"sync.Mutex.Unlock":    true,
		"sync.RWMutex.RUnlock": true,
		"sync.WaitGroup.Done":  true,
		"sync.WaitGroup.Add":   false,
		"os.RemoveAll":         false,
	} {
		if got := knowledge.Releases(lookup(t, pkgs, name)); got != want {
			t.Errorf("Releases(%s) = %v, want %v", name, got, want)
		}
	}
	if i, ok := knowledge.HandlerArg(lookup(t, pkgs, "net/http.ListenAndServe")); !ok || i != 1 {
		t.Errorf("HandlerArg(http.ListenAndServe) = %d, %v; want 1, true", i, ok)
	}
	if !knowledge.IsStd("net/http") || knowledge.IsStd("github.com/x/y") || knowledge.IsStd("notapackage") {
		t.Error("IsStd is wrong about net/http, github.com/x/y or notapackage")
	}
}

func TestData(t *testing.T) {
	pkgs := knowledge.LoadTypes(t, "io", "os", "path/filepath", "fmt", "strings", "net", "net/http", "bufio")
	for name, want := range map[string][2]bool{ // ReadsData, KeepsData
		"io.ReadAll":                 {true, false},
		"os.ReadFile":                {true, false},
		"os.File.Read":               {true, false},
		"bufio.Scanner.Text":         {true, false},
		"path/filepath.Join":         {false, true},
		"fmt.Sprintf":                {false, true},
		"strings.TrimPrefix":         {false, true},
		"net.JoinHostPort":           {false, true},
		"path/filepath.Glob":         {false, false}, // reads the directory, but returns paths into it
		"os.File.Name":               {false, false},
		"os.File.Fd":                 {false, false},
		"net/http.Get":               {false, false},
		"net.TCPListener.Addr":       {false, false},
		"net.TCPConn.Read":           {true, false},
		"os.Readlink":                {false, false},
		"fmt.Fprintf":                {false, false},
		"path/filepath.EvalSymlinks": {false, false},
	} {
		fn := lookup(t, pkgs, name)
		if got := [2]bool{knowledge.ReadsData(fn), knowledge.KeepsData(fn)}; got != want {
			t.Errorf("ReadsData, KeepsData(%s) = %v, want %v", name, got, want)
		}
	}
	byteSlice := types.NewSlice(types.Typ[types.Byte])
	str := types.Typ[types.String]
	for _, c := range []struct {
		t    types.Type
		want bool
	}{
		{str, true},
		{types.Typ[types.Int], true},
		{types.Typ[types.Bool], true},
		{byteSlice, true},
		{types.NewArray(str, 2), true},
		{types.NewStruct([]*types.Var{types.NewField(0, nil, "Code", types.Typ[types.Int], false), types.NewField(0, nil, "Body", str, false)}, nil), true},
		{types.NewPointer(str), false},
		{types.NewMap(str, str), false},
		{types.NewStruct([]*types.Var{types.NewField(0, nil, "P", types.NewPointer(str), false)}, nil), false},
		{types.Typ[types.UnsafePointer], false},
		{types.NewSignatureType(nil, nil, nil, nil, nil, false), false},
	} {
		if got := knowledge.PlainData(c.t); got != c.want {
			t.Errorf("PlainData(%s) = %v, want %v", c.t, got, c.want)
		}
	}
}
