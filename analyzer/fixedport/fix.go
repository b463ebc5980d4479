package fixedport

import "golang.org/x/tools/go/analysis"

// fix returns the suggested fix for f, if one is certainly right.
func (c *checker) fix(f *finding) *analysis.SuggestedFix { return nil }
