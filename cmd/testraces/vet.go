package main

import (
	"encoding/json"
	"fmt"
	goversions "go/version"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/suite/vet"

	"github.com/testraces/testraces/internal/goversion"
)

// vetToolMode reports whether the go command runs testraces as a vet or
// fix tool (go vet -vettool, go fix -fixtool): it first asks for the
// tool's version (-V=full) and flags (-flags), then passes the flags and a
// .cfg file that describes one package.
func vetToolMode(args []string) bool {
	for _, a := range args {
		switch a {
		case "-V=full", "--V=full", "-flags", "--flags":
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// withVetSuite returns analyzers followed by the go vet suite, so that
// testraces as a vet tool reports everything go vet does. The suite's
// testinggoroutine is left out: failnow reports everything it does, and
// keeping both would print each of those findings twice.
func withVetSuite(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	all := slices.Clone(analyzers)
	for _, a := range vet.Suite {
		if a != testinggoroutine.Analyzer {
			all = append(all, a)
		}
	}
	return all
}

// refuseNewerGo handles, as a vet tool, a package whose Go is newer than
// this build's type checker reads (go vet ran with a newer toolchain than
// testraces was built with), and returns the exit status and true if it
// did. For a package go vet shows the output of, that is the one line
// saying which Go is needed and how to install testraces with it, where
// the checker would print "package requires newer Go version" in each.
// A dependency analysed only for its facts (the newer standard library's
// packages among them) cannot be type-checked either, and go vet shows
// its failure only as a bare "exit status 1" for each: it leaves a mark
// in its facts file instead and succeeds, and the package the user named
// says the line once when it finds the mark in a dependency's file (its
// own Go may be old enough: a go 1.26 module vetted with go1.27.3).
// The go command's own refusal (go.mod requires go >= 1.27, with
// GOTOOLCHAIN=local) comes before any vet tool runs.
func refuseNewerGo(args []string, stderr io.Writer) (int, bool) {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return 0, false
	}
	data, err := os.ReadFile(args[len(args)-1])
	if err != nil {
		return 0, false // the checker says why
	}
	var cfg struct {
		GoVersion   string
		VetxOnly    bool
		VetxOutput  string
		PackageVetx map[string]string
	}
	if json.Unmarshal(data, &cfg) != nil {
		return 0, false
	}
	m, ok := goversion.FromGoVersion(cfg.GoVersion)
	if !ok {
		m, ok = markedDependency(cfg.PackageVetx)
	}
	switch {
	case !ok:
		return 0, false
	case cfg.VetxOnly:
		if err := os.WriteFile(cfg.VetxOutput, newerGoMark(m.Needs), 0o666); err != nil {
			fmt.Fprintln(stderr, err)
			return 1, true
		}
		return 0, true
	}
	fmt.Fprintln(stderr, m.Message())
	return 1, true
}

// A facts file (x/tools' vetx: "vetx", the lengths of its types and facts
// as two little-endian uint32s, then those) with neither types nor facts,
// followed by markPrefix and the Go version needed, marks a package that
// this build could not type-check. x/tools reads past neither length.
const markPrefix = "testraces needs go"

func newerGoMark(needs string) []byte {
	return append([]byte("vetx\x00\x00\x00\x00\x00\x00\x00\x00"), markPrefix+strings.TrimPrefix(needs, "go")...)
}

// markedDependency returns the mismatch of a dependency whose facts file
// holds the mark: the highest Go needed, if any.
func markedDependency(vetx map[string]string) (goversion.Mismatch, bool) {
	var found goversion.Mismatch
	ok := false
	for _, file := range vetx {
		needs, marked := readMark(file)
		if !marked {
			continue
		}
		if m, newer := goversion.FromGoVersion(needs); newer && (!ok || goversions.Compare("go"+m.Needs, "go"+found.Needs) > 0) {
			found, ok = m, true
		}
	}
	if ok {
		found.Why = goversion.WhyToolchain
	}
	return found, ok
}

// readMark returns the Go version that the facts file marks as needed, if
// it is marked; it reads only the header of a file that is not.
func readMark(file string) (string, bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	head := make([]byte, 12+len(markPrefix)+16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if n < 12+len(markPrefix) || string(head[:12]) != "vetx\x00\x00\x00\x00\x00\x00\x00\x00" || string(head[12:12+len(markPrefix)]) != markPrefix {
		return "", false
	}
	return string(head[12+len(markPrefix):]), true
}
