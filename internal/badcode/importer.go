package badcode

import (
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"
)

// Importer returns an importer of the export data that the go command
// compiles for the packages as it compiled the running test binary: with
// -race under go test -race. The go command has then compiled them
// already, for the test binaries. go/importer's own never asks for -race:
// in the README's test run it compiled the standard library once more
// without it, at the same time as the root package's tests built the
// command and compiled the same packages (17 CPU-s of a cold run).
func Importer() types.Importer {
	return importer.ForCompiler(token.NewFileSet(), "gc", openExport)
}

// exportFiles maps an import path to its export data file, or the error
// of the go command that looked for it, once for the tests of a binary.
var exportFiles sync.Map

type exportFile struct {
	once sync.Once
	name string
	err  error
}

// openExport opens the export data of the package path.
func openExport(path string) (io.ReadCloser, error) {
	v, _ := exportFiles.LoadOrStore(path, new(exportFile))
	f := v.(*exportFile)
	f.once.Do(func() {
		args := append([]string{"list"}, buildFlags()...)
		out, err := exec.Command("go", append(args, "-export", "-f", "{{.Export}}", path)...).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			f.err = fmt.Errorf("go list -export %s: %v\n%s", path, err, stderr)
			return
		}
		f.name = strings.TrimSpace(string(out))
		if f.name == "" {
			f.err = fmt.Errorf("go list -export %s: no export data", path)
		}
	})
	if f.err != nil {
		return nil, f.err
	}
	return os.Open(f.name)
}

// buildFlags returns the flags the running binary was built with that
// change what the go command compiles: -race.
var buildFlags = sync.OnceValue(func() []string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				return []string{"-race"}
			}
		}
	}
	return nil
})
