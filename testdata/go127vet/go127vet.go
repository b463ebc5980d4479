// Package go127vet is a module of Go 1.27 that imports nothing outside
// itself: go vet run with Go 1.27 compiles none of the standard library
// for it, and runs the vet tool on dep for its facts first.
package go127vet

import "go127vet/dep"

var _ = dep.X
