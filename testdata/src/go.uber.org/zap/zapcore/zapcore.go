// Package zapcore is a stub of go.uber.org/zap/zapcore, for tests.
package zapcore

import "io"

// A Core writes log entries.
type Core interface{ Write(msg string) }

// A WriteSyncer is a writer that syncs.
type WriteSyncer interface {
	io.Writer
	Sync() error
}

type syncer struct{ io.Writer }

func (syncer) Sync() error { return nil }

// AddSync wraps w.
func AddSync(w io.Writer) WriteSyncer { return syncer{w} }

type core struct{ w io.Writer }

func (c core) Write(msg string) { c.w.Write([]byte(msg)) }

// NewCore returns a core writing to ws.
func NewCore(enc any, ws WriteSyncer, level any) Core { return core{ws} }
