package main

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/suite/vet"
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
