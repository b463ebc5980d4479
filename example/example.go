// Package example holds tests with the races that testraces finds, one of
// each, for trying the command:
//
//	go run ./cmd/testraces ./example
//
// The tests are racy on purpose, so they skip themselves unless
// TESTRACES_EXAMPLE=1 is set: go test ./... stays green and steady.
package example
