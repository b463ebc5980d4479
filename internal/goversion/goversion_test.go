package goversion

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Mismatch
		want string
	}{
		{
			"the go command refused, testraces too old",
			Mismatch{Needs: "1.27", Built: "go1.26.8", GoCommand: "1.26.8", Toolchain: "local"},
			"testraces: this code needs Go 1.27 (its go.mod's go line), but testraces was built with go1.26.8 and the go command is go1.26.8 (GOTOOLCHAIN=local): install testraces with a newer Go, GOTOOLCHAIN=go1.27.0 go install github.com/testraces/testraces/cmd/testraces@latest, and run it with GOTOOLCHAIN=go1.27.0 set",
		},
		{
			"the go command switched, testraces too old; the user's GOTOOLCHAIN is suggested",
			Mismatch{Needs: "1.27", Built: "go1.26.8", Env: "go1.27.3"},
			"testraces: this code needs Go 1.27 (its go.mod's go line), but testraces was built with go1.26.8, whose type checker reads Go up to 1.26: install it with a newer Go: GOTOOLCHAIN=go1.27.3 go install github.com/testraces/testraces/cmd/testraces@latest",
		},
		{
			"only the go command too old",
			Mismatch{Needs: "1.27.1", Built: "go1.27.3", GoCommand: "1.26.8", Toolchain: "local", Env: "local"},
			"testraces: this code needs Go 1.27.1 (its go.mod's go line), but the go command that testraces runs is go1.26.8 (GOTOOLCHAIN=local): run testraces with GOTOOLCHAIN=go1.27.1 set (testraces itself, built with go1.27.3, reads Go 1.27.1)",
		},
	} {
		if got := tc.m.Message(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestToolchain(t *testing.T) {
	for _, tc := range []struct{ needs, env, want string }{
		{"1.27", "", "go1.27.0"},
		{"1.27", "local", "go1.27.0"},
		{"1.27", "go1.26.8", "go1.27.0"}, // too old
		{"1.27", "go1.27.3+auto", "go1.27.3"},
		{"1.27.2", "", "go1.27.2"},
		{"1.28rc1", "", "go1.28rc1"},
	} {
		if got := (Mismatch{Needs: tc.needs, Env: tc.env}).toolchain(); got != tc.want {
			t.Errorf("toolchain for %s with GOTOOLCHAIN=%q = %s, want %s", tc.needs, tc.env, got, tc.want)
		}
	}
}

func TestFromLoadError(t *testing.T) {
	err := errors.New("err: exit status 1: stderr: go: go.mod requires go >= 1.27 (running go 1.26.8; GOTOOLCHAIN=local)\n")
	m, ok := FromLoadError(err)
	if !ok || m.Needs != "1.27" || m.GoCommand != "1.26.8" || m.Toolchain != "local" {
		t.Errorf("FromLoadError = %+v, %v", m, ok)
	}
	if _, ok := FromLoadError(errors.New("err: exit status 1: stderr: go: cannot find main module")); ok {
		t.Error("a mismatch in another error")
	}
	if _, ok := FromLoadError(nil); ok {
		t.Error("a mismatch in no error")
	}
}

func TestFromPackages(t *testing.T) {
	dep := &packages.Package{PkgPath: "d", Module: &packages.Module{Path: "d", GoVersion: "1.99"}}
	root := &packages.Package{PkgPath: "m", Module: &packages.Module{Path: "m", GoVersion: "1.22"}, Imports: map[string]*packages.Package{"d": dep}}
	m, ok := FromPackages([]*packages.Package{root})
	if !ok || m.Needs != "1.99" {
		t.Errorf("FromPackages = %+v, %v; want the dependency's 1.99", m, ok)
	}
	if !strings.Contains(m.Message(), "needs Go 1.99") {
		t.Errorf("message %q", m.Message())
	}
	dep.Module.GoVersion = "1.20"
	if m, ok := FromPackages([]*packages.Package{root}); ok {
		t.Errorf("a mismatch for go lines this build reads: %+v", m)
	}
	if _, ok := FromPackages([]*packages.Package{{PkgPath: "fmt"}}); ok {
		t.Error("a mismatch for a package of no module")
	}
}

func TestFromGoVersion(t *testing.T) {
	if m, ok := FromGoVersion("go1.99"); !ok || m.Needs != "1.99" {
		t.Errorf("FromGoVersion(go1.99) = %+v, %v", m, ok)
	}
	for _, v := range []string{"go1.20", "", "bogus"} {
		if _, ok := FromGoVersion(v); ok {
			t.Errorf("FromGoVersion(%q): a mismatch", v)
		}
	}
}

func TestFromGoMod(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(text string) {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("module m\n\ngo 1.99 // newer\n\nrequire x v1.0.0\n")
	if m, ok := FromGoMod(sub); !ok || m.Needs != "1.99" {
		t.Errorf("FromGoMod = %+v, %v; want 1.99", m, ok)
	}
	write("module m\n\ngo 1.21.0\ntoolchain go1.99.1\n")
	if m, ok := FromGoMod(sub); ok {
		t.Errorf("a mismatch for go 1.21.0: %+v", m)
	}
	write("module m\n")
	if _, ok := FromGoMod(sub); ok {
		t.Error("a mismatch for a go.mod without a go line")
	}
}
