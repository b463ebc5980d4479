// Package suite is a stub of testify's suite, for tests.
package suite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Suite is embedded by test suites.
type Suite struct{ t *testing.T }

// T returns the current test.
func (s *Suite) T() *testing.T { return s.t }

// Require returns requirements on the current test.
func (s *Suite) Require() *require.Assertions { return require.New(s.t) }

// Assert returns assertions on the current test.
func (s *Suite) Assert() *assert.Assertions { return assert.New(s.t) }
