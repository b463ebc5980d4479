// Package ktesting is a stub of k8s.io/klog/v2/ktesting, for tests.
package ktesting

import (
	"context"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

// TL is the part of testing.TB that ktesting uses.
type TL interface {
	Helper()
	Log(args ...any)
}

// Config configures the logger.
type Config struct{}

// NewLogger returns a logger that writes with t.Log.
func NewLogger(t TL, c *Config) logr.Logger { return logr.Discard() }

// NewTestContext returns a logger writing with t.Log and a context with it.
func NewTestContext(tl TL) (klog.Logger, context.Context) {
	return logr.Discard(), context.Background()
}
