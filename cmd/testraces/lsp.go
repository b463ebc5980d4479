package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"

	"github.com/testraces/testraces"
	"github.com/testraces/testraces/internal/lsp"
)

// serveLSP runs the language server on standard input and output, and
// returns the exit status: 0 when the client shut it down before it
// exited, 1 otherwise, as the protocol asks; 2 for bad arguments.
func serveLSP(args []string) int {
	fs := flag.NewFlagSet("testraces lsp", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: testraces lsp\n\nServes the Language Server Protocol on standard input and output,\nbeside gopls: see the README's Editors section.\n")
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	err := lsp.Serve(context.Background(), stdio{}, lsp.Options{
		Analyzers: testraces.Analyzers(),
		Log:       log.New(os.Stderr, "testraces lsp: ", log.LstdFlags),
		Version:   version(),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "testraces lsp: %v\n", err)
		return 1
	}
	return 0
}

// version is the module version the binary was built from.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.Main.Version
	}
	return ""
}

// stdio is the connection to the editor: standard input and output.
// (Standard error is the log, which editors keep.)
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error {
	return errors.Join(os.Stdin.Close(), os.Stdout.Close())
}

var _ io.ReadWriteCloser = stdio{}
