// The testraces command finds the races that make Go tests flaky.
//
// Run it standalone on packages (tests are included):
//
//	testraces ./...
//	testraces -fix ./...      # apply the suggested fixes
//	testraces -diff ./...     # print them as a diff
//	testraces -json ./...
//
// or as a vet tool:
//
//	go vet -vettool=$(command -v testraces) ./...
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/testraces/testraces"
)

func main() {
	multichecker.Main(testraces.Analyzers()...)
}
