// The testraces command finds the races that make Go tests flaky.
//
// Run it standalone on packages (tests are included):
//
//	testraces ./...
//	testraces -fix ./...        # apply the suggested fixes
//	testraces -fix -diff ./...  # print them as a diff
//	testraces -json ./...
//	testraces -vet ./...        # the go vet suite too
//
// It loads the packages and runs the analyzers in this process, with
// x/tools' checker, and names files relative to the working directory, as
// go vet does; -fix is x/tools' multichecker's, which applies fixes with
// code that x/tools keeps internal (see fixWithMultichecker).
//
// As a vet tool, it runs the go vet suite too:
//
//	go vet -vettool=$(command -v testraces) ./...
//
// or as a language server beside gopls, for editors:
//
//	testraces lsp
package main

import (
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/testraces/testraces"
)

func main() {
	args := os.Args[1:]
	switch {
	case len(args) > 0 && args[0] == "lsp":
		os.Exit(serveLSP(args[1:]))
	case vetToolMode(args):
		if status, refused := refuseNewerGo(args, os.Stderr); refused {
			os.Exit(status)
		}
		multichecker.Main(withVetSuite(testraces.Analyzers())...)
	default:
		os.Exit(runStandalone(args, os.Stdout, os.Stderr))
	}
}
