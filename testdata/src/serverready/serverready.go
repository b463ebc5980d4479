// Package serverready holds the cases of the serverready analyzer, one
// theme a _test.go file.
package serverready
