// Package klog is a stub of k8s.io/klog/v2, for tests.
package klog

import (
	"context"

	"github.com/go-logr/logr"
)

// Logger is logr's.
type Logger = logr.Logger

// FromContext returns the context's logger.
func FromContext(ctx context.Context) Logger { return logr.Discard() }

// NewContext returns ctx with logger.
func NewContext(ctx context.Context, logger Logger) context.Context { return ctx }
