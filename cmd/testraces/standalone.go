package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces"
)

// driverEnv tells a child testraces process that it is the analysis
// driver of a standalone run, and which analyzers it runs.
const driverEnv = "TESTRACES_DRIVER"

// Values of driverEnv.
const (
	driverTestraces = "testraces" // testraces' analyzers
	driverWithVet   = "vet"       // and the go vet suite (-vet)
)

// runStandalone runs testraces on packages named on the command line and
// returns the exit status.
//
// The analysis driver (x/tools' multichecker) prints absolute file names
// and exits the process itself, so it runs in a child process while this
// one rewrites the child's text output (standard error) to name files
// relative to the working directory, as go vet does. Standard output,
// where -json and -diff write, passes through unchanged.
func runStandalone(args []string) int {
	args, vet, err := cutVetFlag(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testraces: %v\n", err)
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "testraces: %v\n", err)
		return 1
	}
	driver := driverTestraces
	if vet {
		driver = driverWithVet
	}
	cmd := exec.Command(exe, args...)
	cmd.Args[0] = os.Args[0] // the name the driver's messages start with
	cmd.Env = append(os.Environ(), driverEnv+"="+driver)
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "testraces: %v\n", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "testraces: %v\n", err)
		return 1
	}
	cwd, _ := os.Getwd()
	copyRelative(os.Stderr, stderr, cwd)
	status := exitStatus(cmd.Wait())
	if asksHelp(args) {
		// The driver's flag list does not know this command's own flag.
		fmt.Fprintln(os.Stderr, "  -vet\n    \talso run the go vet suite (all but testinggoroutine), as go vet -vettool does")
	}
	return status
}

// asksHelp reports whether args ask for the flag list.
func asksHelp(args []string) bool {
	for _, arg := range args {
		switch arg {
		case "-h", "-help", "--help":
			return true
		}
		if !strings.HasPrefix(arg, "-") {
			return false // flags come first
		}
	}
	return false
}

// exitStatus is the status a finished child's error stands for.
func exitStatus(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	case errors.As(err, &exit) && diedOfSIGPIPE(exit):
		return 1 // the reader of the output left (| head): nothing to say
	}
	fmt.Fprintf(os.Stderr, "testraces: %v\n", err)
	return 1
}

func diedOfSIGPIPE(exit *exec.ExitError) bool {
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGPIPE
}

// cutVetFlag removes -vet (-vet=true, -vet=false) from args, which the
// analysis driver does not know, and reports whether it was set.
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

// driverChild reports whether this process is the analysis driver that
// runStandalone started.
func driverChild() bool {
	return os.Getenv(driverEnv) != ""
}

// childAnalyzers are the analyzers the driver child runs.
func childAnalyzers() []*analysis.Analyzer {
	if os.Getenv(driverEnv) == driverWithVet {
		return withVetSuite(testraces.Analyzers())
	}
	return testraces.Analyzers()
}

// copyRelative copies r to w line by line, with the absolute file names
// that start a line or follow a space or tab made relative to dir.
func copyRelative(w io.Writer, r io.Reader, dir string) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			io.WriteString(w, relativeLine(line, dir))
		}
		if err != nil {
			return
		}
	}
}

// relativeLine rewrites the absolute file names in line ("/abs/a.go:1:2:")
// that start it or follow a space or tab, relative to dir where that is
// shorter, as go vet prints them: "a.go" for a file in dir, "sub/a.go"
// below it, "../b/a.go" beside it.
func relativeLine(line, dir string) string {
	if dir == "" {
		return line
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		if !startsAbsPath(line, i) {
			b.WriteByte(line[i])
			i++
			continue
		}
		end := i + strings.IndexAny(line[i:], ": \t\n")
		if end < i {
			end = len(line)
		}
		b.WriteString(shortPath(line[i:end], dir))
		i = end
	}
	return b.String()
}

// startsAbsPath reports whether an absolute path starts at line[i], at
// the start of the line or after a blank. (Unix paths only: on Windows the
// names stay absolute.)
func startsAbsPath(line string, i int) bool {
	return (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') && line[i] == '/'
}

// shortPath returns file relative to dir if that is shorter.
func shortPath(file, dir string) string {
	if rel, err := filepath.Rel(dir, file); err == nil && len(rel) < len(file) {
		return rel
	}
	return file
}
