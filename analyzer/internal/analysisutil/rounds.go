package analysisutil

import "go/types"

// GrewSince reports whether the fact of one of read grew after step, as
// grew records the step each fact last grew at: a fixed point over a
// package's functions computes a function again only then, where rounds
// over all of them would redo most for nothing.
func GrewSince(read []*types.Func, grew map[*types.Func]int, step int) bool {
	for _, fn := range read {
		if grew[fn] > step {
			return true
		}
	}
	return false
}
