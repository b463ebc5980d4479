// Package deferparallel holds the cases of the deferparallel analyzer, one
// theme a _test.go file.
package deferparallel
