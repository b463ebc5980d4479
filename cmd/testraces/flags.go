package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces"
)

// options are what the standalone command's arguments ask for.
type options struct {
	all       []*analysis.Analyzer // every analyzer the command knows (go vet's suite too with -vet)
	analyzers []*analysis.Analyzer // those the -NAME flags select
	json      bool
	fix, diff bool
	tests     bool
	context   int      // -c: lines of source shown around a finding, none when negative
	args      []string // the packages, or help and the analyzers to describe
	fixArgs   []string // the arguments without -vet, as multichecker takes them for -fix
}

// parseOptions parses the standalone command's arguments. When it returns
// ok false, the command is done and exits with status: 0 after -help, 2
// for a bad flag (the flag package has said what is wrong).
func parseOptions(args []string, stderr io.Writer) (o *options, status int, ok bool) {
	rest, vet, err := cutVetFlag(args)
	if err != nil {
		fmt.Fprintf(stderr, "testraces: %v\n", err)
		return nil, 2, false
	}
	o = &options{all: testraces.Analyzers(), tests: true, context: -1, fixArgs: rest}
	if vet {
		o.all = withVetSuite(o.all)
	}
	fs := flag.NewFlagSet("testraces", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(fs) }
	fs.BoolVar(&o.json, "json", false, "print the findings as JSON (x/tools' format, with absolute file names) on standard output")
	fs.BoolVar(&o.fix, "fix", false, "apply every suggested fix")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.BoolVar(&o.tests, "test", true, "analyse test files too")
	fs.IntVar(&o.context, "c", -1, "show each finding's source line with this many lines around it")
	// cutVetFlag has read -vet already: it decides which analyzers, and so
	// which flags, there are. It is declared for -help to list it.
	fs.Bool("vet", false, "also run the go vet suite (all but testinggoroutine), as go vet -vettool does")
	enabled := declareAnalyzerFlags(fs, o.all)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, false
		}
		return nil, 2, false
	}
	o.analyzers = selectAnalyzers(o.all, enabled)
	o.args = fs.Args()
	return o, 0, true
}

// printUsage prints how to call the command and its flags.
func printUsage(fs *flag.FlagSet) {
	fmt.Fprint(fs.Output(), `usage: testraces [-flag] package...
       testraces help [analyzer...]

Finds the races that make Go tests flaky in the packages and their tests.
Exits with status 3 when there are findings, 1 on errors.

Flags:
`)
	fs.PrintDefaults()
}

// declareAnalyzerFlags declares, for each analyzer, -NAME to select it
// and its own flags as -NAME.FLAG, as x/tools' multichecker does, so that
// a command line means the same with -fix (which multichecker runs) and
// without.
func declareAnalyzerFlags(fs *flag.FlagSet, analyzers []*analysis.Analyzer) map[*analysis.Analyzer]*enableFlag {
	enabled := make(map[*analysis.Analyzer]*enableFlag)
	for _, a := range analyzers {
		enabled[a] = new(enableFlag)
		fs.Var(enabled[a], a.Name, fmt.Sprintf("run the %s analyzer", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return enabled
}

// selectAnalyzers returns the analyzers the -NAME flags select: only those
// set true if any is, else all but those set false.
func selectAnalyzers(all []*analysis.Analyzer, enabled map[*analysis.Analyzer]*enableFlag) []*analysis.Analyzer {
	var on, notOff []*analysis.Analyzer
	for _, a := range all {
		switch f := enabled[a]; {
		case f.set && f.on:
			on = append(on, a)
			notOff = append(notOff, a)
		case !f.set:
			notOff = append(notOff, a)
		}
	}
	if len(on) > 0 {
		return on
	}
	return notOff
}

// enableFlag is an analyzer's -NAME flag. It knows whether it was set at
// all: -failnow=false means "all but failnow", while no -failnow flag
// among other -NAME flags means "only the others".
type enableFlag struct{ set, on bool }

func (f *enableFlag) Set(s string) error {
	on, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	f.set, f.on = true, on
	return nil
}

func (f *enableFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatBool(f.on)
}

func (f *enableFlag) IsBoolFlag() bool { return true }

// cutVetFlag removes -vet (-vet=true, -vet=false) from args, and reports
// whether it was set. It is read before the other flags because it
// decides which analyzers there are, and so which flags; multichecker,
// which runs -fix, does not know it.
func cutVetFlag(args []string) (rest []string, vet bool, err error) {
	for i, a := range args {
		if a == "--" {
			return append(rest, args[i:]...), vet, nil
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "vet" {
			rest = append(rest, a)
			continue
		}
		vet = true
		if hasValue {
			if vet, err = strconv.ParseBool(value); err != nil {
				return nil, false, fmt.Errorf("invalid value %q for flag -vet", value)
			}
		}
	}
	return rest, vet, nil
}
