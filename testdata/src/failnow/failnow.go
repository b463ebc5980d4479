// Package failnow holds the cases of the failnow analyzer, one theme a
// _test.go file.
package failnow
