// Package subtests is a helper package whose functions start parallel
// subtests and make tests parallel: its facts reach other packages.
package subtests

import "testing"

// Run runs each case as a parallel subtest against url.
func Run(t *testing.T, url string, cases []string) { // want Run:"subtests=0:uses=1,2"
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			t.Parallel()
			_ = url + c
		})
	}
}

// Server stands for a server under test.
type Server struct{ URL string }

// RunAgainst runs parallel subtests against what srv serves, through a
// variable computed from it.
func RunAgainst(tt *testing.T, srv *Server) { // want RunAgainst:"subtests=0:uses=1"
	base := srv.URL
	tt.Run("get", func(tt *testing.T) {
		tt.Parallel()
		_ = base
	})
}

// Parallel marks the test parallel unless -short.
func Parallel(tb *testing.T) { // want Parallel:"parallel=0"
	if !testing.Short() {
		tb.Parallel()
	}
}

// Sequential starts subtests that are not parallel: no fact.
func Sequential(t *testing.T, url string) {
	t.Run("a", func(t *testing.T) { _ = url })
}

// Group runs parallel subtests inside a subtest that waits for them: the
// caller's test is not left with parallel subtests: no fact.
func Group(t *testing.T, url string) {
	t.Run("group", func(t *testing.T) {
		t.Run("a", func(t *testing.T) {
			t.Parallel()
			_ = url
		})
	})
}
