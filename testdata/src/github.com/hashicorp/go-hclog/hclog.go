// Package hclog is a stub of github.com/hashicorp/go-hclog, for tests.
package hclog

import "io"

// A Logger writes leveled log lines.
type Logger interface {
	Info(msg string, args ...any)
	Debug(msg string, args ...any)
	Error(msg string, args ...any)
	Named(name string) Logger
	With(args ...any) Logger
}

// LoggerOptions configures a logger.
type LoggerOptions struct {
	Name   string
	Output io.Writer
}

type logger struct{ w io.Writer }

func (l *logger) Info(msg string, args ...any)  { l.w.Write([]byte(msg)) }
func (l *logger) Debug(msg string, args ...any) { l.w.Write([]byte(msg)) }
func (l *logger) Error(msg string, args ...any) { l.w.Write([]byte(msg)) }
func (l *logger) Named(name string) Logger      { return l }
func (l *logger) With(args ...any) Logger       { return l }

// New returns a logger writing to opts.Output.
func New(opts *LoggerOptions) Logger { return &logger{opts.Output} }

// NewNullLogger returns a logger that writes nothing.
func NewNullLogger() Logger { return &logger{io.Discard} }
