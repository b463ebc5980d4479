package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/packages"

	"github.com/testraces/testraces/internal/goversion"
)

// runStandalone runs testraces on the packages named by args, in this
// process, and returns the exit status: 3 when there are findings (as
// x/tools' multichecker exits), 1 on errors, 2 for bad flags. Findings go
// to stderr as text, or to stdout as JSON with -json.
func runStandalone(args []string, stdout, stderr io.Writer) int {
	o, status, ok := parseOptions(args, stderr)
	switch {
	case !ok:
		return status
	case len(o.args) == 0:
		fmt.Fprintln(stderr, "usage: testraces [-flag] package... ('testraces -help' lists the flags)")
		return 1
	case o.args[0] == "help":
		return printHelp(stdout, stderr, o.all, o.args[1:])
	}
	if status, refused := refuseNewerModule(o.args, stderr); refused {
		return status
	}
	if o.fix {
		fixWithMultichecker(o) // does not return
	}
	return analyse(o, stdout, stderr)
}

// analyse loads the packages, runs the analyzers and prints what they
// found, and returns the exit status.
func analyse(o *options, stdout, stderr io.Writer) int {
	pkgs, err := load(o.args, o.tests)
	if m, ok := goversion.FromLoadError(err); ok {
		fmt.Fprintln(stderr, m.Message())
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "testraces: %v\n", err)
		return 1
	}
	// Code newer than this build's type checker reads fails in every
	// file, and in the newer standard library's own: one line says why.
	if m, ok := goversion.FromPackages(pkgs); ok {
		fmt.Fprintln(stderr, m.Message())
		return 1
	}
	cwd, _ := os.Getwd()
	failed := printPackageErrors(stderr, pkgs, cwd) > 0
	if o.json {
		return max(exitStatus(failed, false), printJSON(stdout, stderr, o, pkgs))
	}
	wellTyped, illTyped := splitIllTyped(pkgs)
	for _, line := range notAnalysedLines(illTyped) {
		fmt.Fprintln(stderr, line)
	}
	graph, err := checker.Analyze(o.analyzers, wellTyped, nil)
	if err != nil {
		fmt.Fprintf(stderr, "testraces: %v\n", err)
		return 1
	}
	failed = printAnalysisErrors(stderr, graph) > 0 || failed
	found := printFindings(stderr, graph, cwd, o.context) > 0
	return exitStatus(failed, found)
}

// refuseNewerModule says, in one line, that the module of the working
// directory needs a newer Go than this build reads, if it does, before
// every package is loaded and type-checked only to fail. The go command
// is asked only for its names (go list, no types), for what it says when
// it refuses the module itself (GOTOOLCHAIN=local).
func refuseNewerModule(patterns []string, stderr io.Writer) (int, bool) {
	cwd, err := os.Getwd()
	if err != nil {
		return 0, false
	}
	m, ok := goversion.FromGoMod(cwd)
	if !ok {
		return 0, false
	}
	_, err = packages.Load(&packages.Config{Mode: packages.NeedName}, patterns...)
	if refused, ok := goversion.FromLoadError(err); ok {
		m = refused
	}
	fmt.Fprintln(stderr, m.Message())
	return 1, true
}

// exitStatus is 1 when something failed, even if there are findings too:
// some code went unchecked. Otherwise it is 3 when there are findings, the
// status x/tools' multichecker (and so this command, always) exits with.
func exitStatus(failed, found bool) int {
	switch {
	case failed:
		return 1
	case found:
		return 3
	}
	return 0
}

// printJSON analyses every package, ill-typed ones too, and prints x/tools'
// JSON: tools that read it expect an entry for each package, with the
// error of each analyzer that could not run. Its exit status is 0, as
// multichecker's is, findings or not: the JSON says.
func printJSON(stdout, stderr io.Writer, o *options, pkgs []*packages.Package) int {
	graph, err := checker.Analyze(o.analyzers, pkgs, nil)
	if err == nil {
		err = graph.PrintJSON(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "testraces: %v\n", err)
		return 1
	}
	return 0
}

// load loads the packages that patterns name, with their tests if tests
// is set, and every dependency from source: testraces' analyzers need
// facts about the dependencies. (ForTest tells which package a test
// variant belongs to, for the lines that name what was not analysed.)
func load(patterns []string, tests bool) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule | packages.NeedForTest,
		Tests: tests,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, err
}

// fixWithMultichecker runs -fix (and -fix -diff) with x/tools'
// multichecker, in this process, and exits with its status.
//
// x/tools (v0.52.0) keeps what applies fixes in an internal package
// (internal/analysis/driverutil.ApplyFixes): a three-way merge of the
// fixes of every package and test variant, which drops a fix that
// conflicts with another, the removal of imports that fixes left unused,
// and the unified diff. The public checker only computes the fixes. Doing
// all that again here would be a second, diverging copy of what go vet
// -fix and go fix run, so multichecker applies them. It prints no
// findings, only errors, with the file names go/packages gives (absolute).
func fixWithMultichecker(o *options) {
	os.Args = append([]string{os.Args[0]}, o.fixArgs...)
	multichecker.Main(o.all...)
}
