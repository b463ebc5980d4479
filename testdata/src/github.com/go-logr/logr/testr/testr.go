// Package testr is a stub of github.com/go-logr/logr/testr, for tests.
package testr

import (
	"testing"

	"github.com/go-logr/logr"
)

// Options configures the logger.
type Options struct{ Verbosity int }

// New returns a logger that writes with t.Log.
func New(t *testing.T) logr.Logger { return logr.Discard() }

// NewWithOptions is New with options.
func NewWithOptions(t *testing.T, opts Options) logr.Logger { return logr.Discard() }
