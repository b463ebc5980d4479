// Package zap is a stub of go.uber.org/zap, for tests.
package zap

import "go.uber.org/zap/zapcore"

// A Logger writes structured log lines to its core.
type Logger struct{ core zapcore.Core }

// A Field is a key and a value.
type Field struct{ Key string }

// String returns a field.
func String(k, v string) Field { return Field{Key: k} }

// New returns a logger writing to core.
func New(core zapcore.Core) *Logger { return &Logger{core: core} }

// NewNop returns a logger that writes nothing.
func NewNop() *Logger { return &Logger{} }

func (l *Logger) Info(msg string, fields ...Field)  { l.core.Write(msg) }
func (l *Logger) Error(msg string, fields ...Field) { l.core.Write(msg) }
func (l *Logger) Debug(msg string, fields ...Field) { l.core.Write(msg) }
func (l *Logger) With(fields ...Field) *Logger      { return l }
func (l *Logger) Named(name string) *Logger         { return l }
func (l *Logger) Sugar() *SugaredLogger             { return &SugaredLogger{l} }
func (l *Logger) Sync() error                       { return nil }

// A SugaredLogger formats.
type SugaredLogger struct{ l *Logger }

func (s *SugaredLogger) Infof(format string, args ...any) { s.l.Info(format) }
