package summary

// Equal is equal, for the tests.
func Equal(a, b *Summary) bool { return a.equal(b) }
