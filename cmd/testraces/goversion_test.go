package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStandaloneNewerGo runs the command on a module whose go line is
// newer than the go command (GOTOOLCHAIN=local: it may not switch) and
// than this build: one line says which Go it needs, which Go testraces
// was built with, and the command that installs it with a newer one, in
// place of go/packages' "err: exit status 1: stderr: go: go.mod requires
// go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)".
func TestStandaloneNewerGo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module newer\n\ngo 1.99\n")
	writeFile(t, filepath.Join(dir, "newer_test.go"), "package newer\n")
	t.Chdir(dir)
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "")
	var stdout, stderr bytes.Buffer
	status := runStandalone([]string{"./..."}, &stdout, &stderr)
	out := stderr.String()
	if status != 1 {
		t.Errorf("exit status %d, want 1\n%s", status, out)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("not one line:\n%s", out)
	}
	for _, want := range []string{
		"testraces: this code needs Go 1.99",
		"testraces was built with " + runtime.Version(),
		"GOTOOLCHAIN=local",
		"GOTOOLCHAIN=go1.99.0 go install github.com/testraces/testraces/cmd/testraces@latest",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the line does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "exit status") || strings.Contains(out, "stderr:") {
		t.Errorf("the go command's error, wrapped:\n%s", out)
	}
}

// TestVetNewerGo gives the vet tool the configurations go vet gives it
// when go vet runs a newer toolchain than testraces was built with: the
// package named says the one line; a dependency analysed for its facts
// succeeds with a marked facts file that x/tools reads as empty; a
// package of an old enough Go says the line when a dependency is marked,
// and is analysed as usual when none is.
func TestVetNewerGo(t *testing.T) {
	dir := t.TempDir()
	cfg := func(name string, v map[string]any) string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".cfg")
		writeFile(t, path, string(data))
		return path
	}
	var stderr bytes.Buffer
	status, refused := refuseNewerGo([]string{"-serverready", cfg("root", map[string]any{"GoVersion": "go1.99", "VetxOutput": filepath.Join(dir, "root.vetx")})}, &stderr)
	if !refused || status != 1 || !strings.Contains(stderr.String(), "needs Go 1.99") || !strings.Contains(stderr.String(), "go install github.com/testraces/testraces/cmd/testraces@latest") {
		t.Errorf("a package of Go 1.99: %v, status %d, %q", refused, status, stderr.String())
	}

	stderr.Reset()
	vetx := filepath.Join(dir, "dep.vetx")
	status, refused = refuseNewerGo([]string{cfg("dep", map[string]any{"GoVersion": "go1.99.2", "VetxOnly": true, "VetxOutput": vetx})}, &stderr)
	if !refused || status != 0 || stderr.Len() > 0 {
		t.Errorf("a dependency of Go 1.99.2: %v, status %d, %q; want success, silently", refused, status, stderr.String())
	}
	data, err := os.ReadFile(vetx)
	if err != nil {
		t.Fatal(err)
	}
	// x/tools' unitchecker reads "vetx", the two lengths, then as much.
	if len(data) < 12 || string(data[:4]) != "vetx" || binary.LittleEndian.Uint32(data[4:]) != 0 || binary.LittleEndian.Uint32(data[8:]) != 0 {
		t.Errorf("the facts file %q is no empty vetx file", data)
	}

	stderr.Reset()
	status, refused = refuseNewerGo([]string{cfg("user", map[string]any{"GoVersion": "go1.22", "PackageVetx": map[string]string{"fmt": vetx}})}, &stderr)
	if !refused || status != 1 || !strings.Contains(stderr.String(), "the go command runs Go 1.99.2") {
		t.Errorf("a package of Go 1.22 with a marked dependency: %v, status %d, %q", refused, status, stderr.String())
	}

	plain := filepath.Join(dir, "plain.vetx")
	writeFile(t, plain, "vetx\x04\x00\x00\x00\x00\x00\x00\x00abcd")
	if _, refused := refuseNewerGo([]string{cfg("ok", map[string]any{"GoVersion": "go1.22", "PackageVetx": map[string]string{"fmt": plain}})}, &stderr); refused {
		t.Error("a package of Go 1.22 whose dependencies are unmarked is refused")
	}
	if _, refused := refuseNewerGo([]string{"-V=full"}, &stderr); refused {
		t.Error("-V=full is refused")
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
