package fixedport_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/fixedport"
)

// TestRelated checks what analysistest does not: the other places that
// listen on the same port, in the package and in the packages it
// imports (testutil), and where a server's address is set.
func TestRelated(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"helpers_test.go:95": {"listens_test.go:81: this test listens on port 9090 too", "testutil.go:30: test code of an imported package listens on port 9090 too"},
		"listens_test.go:81": {"helpers_test.go:95: this test listens on port 9090 too", "testutil.go:30: test code of an imported package listens on port 9090 too"},
		"listens_test.go:60": {"listens_test.go:59: the server's address is set here"},
		"listens_test.go:66": {"listens_test.go:65: the server's address is set here"},
		// TCP and UDP 4433 do not collide.
		"frameworks_test.go:62": {},
		"listens_test.go:103":   {},
		"helpers_test.go:79":    {},
		"helpers_test.go:80":    {},
	}
	results := analysistest.Run(t, testdata, fixedport.Analyzer, "fixedport")
	got := make(map[string][]string)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			posn := r.Pass.Fset.Position(d.Pos)
			at := fmt.Sprintf("%s:%d", filepath.Base(posn.Filename), posn.Line)
			if want[at] == nil {
				continue
			}
			got[at] = []string{}
			for _, rel := range d.Related {
				rp := r.Pass.Fset.Position(rel.Pos)
				got[at] = append(got[at], fmt.Sprintf("%s:%d: %s", filepath.Base(rp.Filename), rp.Line, rel.Message))
			}
		}
	}
	for at, w := range want {
		if g, ok := got[at]; !ok {
			t.Errorf("%s: no finding", at)
		} else if !slices.Equal(g, w) {
			t.Errorf("%s: related\n\t%q\nwant\n\t%q", at, got[at], w)
		}
	}
}
