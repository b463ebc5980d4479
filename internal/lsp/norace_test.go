//go:build !race

package lsp

// raceEnabled: see race_test.go.
const raceEnabled = false
