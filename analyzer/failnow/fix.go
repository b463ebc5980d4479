package failnow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// fix returns the fix for call, a statement of the region's own body, if
// there is one that is exactly right.
func (c *checker) fix(r *region, call *ast.CallExpr, parent ast.Node, f finding) *analysis.SuggestedFix {
	return nil
}

var _ = types.Universe
