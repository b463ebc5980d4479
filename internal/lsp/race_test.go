//go:build race

package lsp

// raceEnabled reports whether the tests run under the race detector,
// which makes every load several times slower: they then leave out the
// comparisons with a second, full load, which check results, not races.
const raceEnabled = true
