// Package writerlog stubs a logging library that is not one of the
// known ones: a Logger writes to the io.Writer it is built with, given
// directly or in its options.
package writerlog

import (
	"fmt"
	"io"
)

type Options struct {
	Name   string
	Output io.Writer
}

type Logger struct {
	name string
	out  io.Writer
}

func New(o *Options) *Logger { return &Logger{name: o.Name, out: o.Output} }

func NewWriter(w io.Writer) *Logger { return &Logger{out: w} }

func (l *Logger) Info(msg string) { l.out.Write([]byte(msg)) }

func (l *Logger) Infof(format string, args ...any) { fmt.Fprintf(l.out, format, args...) }

func (l *Logger) Name() string { return l.name }
