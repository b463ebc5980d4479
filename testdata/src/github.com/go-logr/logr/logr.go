// Package logr is a stub of github.com/go-logr/logr, for tests.
package logr

// A Logger writes to a sink.
type Logger struct{ sink LogSink }

// A LogSink receives log lines.
type LogSink interface {
	Info(level int, msg string, kv ...any)
}

// New returns a logger writing to sink.
func New(sink LogSink) Logger { return Logger{sink} }

// Discard returns a logger that writes nothing.
func Discard() Logger { return Logger{} }

func (l Logger) Info(msg string, kv ...any)             { l.sink.Info(0, msg, kv...) }
func (l Logger) Error(err error, msg string, kv ...any) { l.sink.Info(0, msg, kv...) }
func (l Logger) V(level int) Logger                     { return l }
func (l Logger) WithName(name string) Logger            { return l }
func (l Logger) WithValues(kv ...any) Logger            { return l }
func (l Logger) Enabled() bool                          { return true }
