package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// printHelp is `testraces help [analyzer...]`: with no name, the list of
// analyzers, each with the first paragraph of its documentation; with
// names, each one's documentation in full and its flags. It returns the
// exit status: 1 when a name is no analyzer's.
func printHelp(stdout, stderr io.Writer, analyzers []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		printAnalyzerList(stdout, analyzers)
		return 0
	}
	for i, name := range names {
		a := analyzerNamed(analyzers, name)
		if a == nil {
			fmt.Fprintf(stderr, "testraces: no analyzer named %q (testraces help lists them; -vet adds go vet's)\n", name)
			return 1
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printAnalyzerDoc(stdout, a)
	}
	return 0
}

func printAnalyzerList(w io.Writer, analyzers []*analysis.Analyzer) {
	fmt.Fprint(w, "testraces finds the races that make Go tests flaky.\n\nAnalyzers:\n\n")
	for _, a := range analyzers {
		fmt.Fprintf(w, "    %-14s %s\n", a.Name, docTitle(a))
	}
	fmt.Fprint(w, `
All run by default: -NAME runs only the analyzers named, -NAME=false all
but those. 'testraces help NAME' describes one in full; 'testraces -help'
lists the flags.
`)
}

// printAnalyzerDoc prints an analyzer's documentation: its title, its
// flags as the command names them (-NAME.FLAG), then the rest.
func printAnalyzerDoc(w io.Writer, a *analysis.Analyzer) {
	fmt.Fprintf(w, "%s: %s\n", a.Name, docTitle(a))
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	fs.SetOutput(w)
	a.Flags.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
	})
	if hasFlags(fs) {
		fmt.Fprint(w, "\nAnalyzer flags:\n\n")
		fs.PrintDefaults()
	}
	if _, rest, ok := strings.Cut(a.Doc, "\n\n"); ok {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(rest, "\n"))
	}
}

// docTitle is the first paragraph of an analyzer's documentation, which
// analysis.Analyzer's Doc convention makes its one-line summary.
func docTitle(a *analysis.Analyzer) string {
	title, _, _ := strings.Cut(a.Doc, "\n\n")
	return title
}

func analyzerNamed(analyzers []*analysis.Analyzer, name string) *analysis.Analyzer {
	for _, a := range analyzers {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}
