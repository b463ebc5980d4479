// Package deferparallel holds the cases of the deferparallel analyzer, one
// theme a _test.go file.
package deferparallel

import "flag"

// update is the -update flag of golden-file tests, which negatives_test.go
// and shapes_test.go make defers and t.Parallel depend on.
var update = flag.Bool("update", false, "update golden files")
