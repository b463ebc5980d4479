package suite

import "testing"

// SetT sets the current test.
func (s *Suite) SetT(t *testing.T) { s.t = t }

// Run runs subtest as a subtest of the current test, with the suite's
// testing value set to the subtest's while it runs, as testify's does.
func (s *Suite) Run(name string, subtest func()) bool {
	oldT := s.T()
	defer s.SetT(oldT)
	return oldT.Run(name, func(t *testing.T) {
		s.SetT(t)
		subtest()
	})
}
