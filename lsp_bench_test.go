package testraces_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/testraces/testraces/internal/lsp"
)

// fiberModule is the module the language server's benchmark edits: the
// root package of fiber v3 (about 40k lines with its tests, 50+
// dependencies), whose external tests import middleware packages that
// import the package itself, as many real modules' tests do.
const fiberModule = "github.com/gofiber/fiber/v3@v3.1.0"

// BenchmarkLanguageServerFiber measures testraces lsp on fiber v3's root
// package, fetched from the module proxy in the setup (skipped when it
// cannot be), with ctx_test.go open, each sub-benchmark reporting its
// median as ns/op (run it with -benchtime=Nx, N the number of runs):
//
//   - cold: a new server, from didOpen to the first diagnostics.
//   - save-body: a test's body edited and saved, from didSave to the
//     file's diagnostics of that version: no exported API changes.
//   - save-api: an exported function added to ctx.go and saved, from
//     didSave to ctx.go's diagnostics of that version.
//
// For these, s-whole-run is the median time to the end of the run, when
// the diagnostics of every package (the middleware that imports fiber,
// the external tests) are published, and s-cpu the median CPU time the
// process used meanwhile (cpuTime; cold: without go list's, a child
// process): what a run costs whatever else the machine is doing.
//   - gopls-cold, gopls-warm: gopls (the gopls binary on PATH, or
//     $GOPLS; skipped without one), from didOpen to its first
//     diagnostics, with an empty file cache and with the cache of a
//     first run.
//
// The runs report resident memory (MB-rss, of the benchmark process for
// testraces' in-process server, of the gopls process for gopls) and, for
// testraces, the live heap after a collection (MB-live): after the first
// diagnostics for cold, after the first and the last save for the saves.
func BenchmarkLanguageServerFiber(b *testing.B) {
	if testing.Short() {
		b.Skip("fetches fiber from the module proxy and loads it")
	}
	dir := downloadFiber(b)
	test := filepath.Join(dir, "ctx_test.go")
	ctx := filepath.Join(dir, "ctx.go")

	b.Run("cold", func(b *testing.B) {
		var times, whole, cpu []time.Duration
		for b.Loop() {
			// A new server in a new process: nothing an earlier
			// server of this one checked is reused.
			lsp.ForgetChecked()
			cpu0 := cpuTime()
			c := startServer(b)
			c.log.quiet = true
			c.initialize(b, dir, nil)
			start := time.Now()
			c.open(b, test)
			c.awaitDiagnostics(b, fileURI(test), func([]lspDiagnostic) bool { return true })
			times = append(times, time.Since(start))
			c.awaitDiagnostics(b, fileURI(test), func([]lspDiagnostic) bool { return true })
			whole = append(whole, time.Since(start))
			cpu = append(cpu, cpuTime()-cpu0)
			reportMemory(b, "")
			c.shutdown(b)
		}
		reportMedian(b, times, "ns/op")
		reportMedian(b, whole, "s-whole-run")
		reportMedian(b, cpu, "s-cpu")
	})

	for _, edit := range []struct {
		name, file, old, new string
	}{
		{"save-body", test, "func Test_Ctx_Accepts(t *testing.T) {\n", "func Test_Ctx_Accepts(t *testing.T) {\n\t_ = %d\n"},
		{"save-api", ctx, "\n// App returns the *App reference", "\n// BenchAPI%[1]d is an exported function added.\nfunc BenchAPI%[1]d() int { return %[1]d }\n\n// App returns the *App reference"},
	} {
		b.Run(edit.name, func(b *testing.B) {
			orig := readFile(b, edit.file)
			if !strings.Contains(orig, edit.old) {
				b.Fatalf("%s has no %q", edit.file, edit.old)
			}
			b.Cleanup(func() { os.WriteFile(edit.file, []byte(orig), 0o644) })
			c := startServer(b)
			c.log.quiet = true
			c.initialize(b, dir, nil)
			c.open(b, edit.file)
			uri := fileURI(edit.file)
			c.awaitDiagnostics(b, uri, func([]lspDiagnostic) bool { return true })
			var times, whole, cpu []time.Duration
			version := 1
			for b.Loop() {
				version++
				text := strings.Replace(orig, edit.old, fmt.Sprintf(edit.new, version), 1)
				if err := os.WriteFile(edit.file, []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				c.change(b, uri, version, text)
				cpu0 := cpuTime()
				start := time.Now()
				c.send(b, 0, "textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
				// The file's package's diagnostics first, then every
				// package's when the run is over.
				ofVersion := func([]lspDiagnostic) bool {
					v := c.versions[uri]
					return v != nil && int(*v) == version
				}
				c.awaitDiagnostics(b, uri, ofVersion)
				times = append(times, time.Since(start))
				c.awaitDiagnostics(b, uri, ofVersion)
				whole = append(whole, time.Since(start))
				cpu = append(cpu, cpuTime()-cpu0)
				c.expectLog(b, "incremental")
				if len(times) == 1 {
					reportMemory(b, "-first")
				}
			}
			reportMemory(b, "-last")
			reportMedian(b, times, "ns/op")
			reportMedian(b, whole, "s-whole-run")
			reportMedian(b, cpu, "s-cpu")
			c.shutdown(b)
		})
	}

	gopls := os.Getenv("GOPLS")
	if gopls == "" {
		gopls, _ = exec.LookPath("gopls")
	}
	for _, warm := range []bool{false, true} {
		name := "gopls-cold"
		if warm {
			name = "gopls-warm"
		}
		b.Run(name, func(b *testing.B) {
			if gopls == "" {
				b.Skip("no gopls on PATH nor in $GOPLS (go install golang.org/x/tools/gopls@v0.23.0)")
			}
			cache := b.TempDir()
			if warm {
				goplsFirstDiagnostics(b, gopls, cache, dir, test)
			}
			var times []time.Duration
			for b.Loop() {
				if !warm {
					cache = b.TempDir()
				}
				times = append(times, goplsFirstDiagnostics(b, gopls, cache, dir, test))
			}
			reportMedian(b, times, "ns/op")
		})
	}
}

// downloadFiber fetches fiber and its dependencies into the module cache
// and returns a writable copy of its module, skipping the benchmark when
// the module proxy cannot be reached.
func downloadFiber(b *testing.B) string {
	b.Helper()
	b.Setenv("GOWORK", "off")
	b.Setenv("GOFLAGS", "-mod=mod")
	cmd := exec.Command("go", "mod", "download", "-json", fiberModule)
	cmd.Dir = b.TempDir()
	out, err := cmd.Output()
	if err != nil {
		b.Skipf("go mod download %s: %v", fiberModule, err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		b.Skipf("go mod download %s: %v %s", fiberModule, err, out)
	}
	dir := filepath.Join(b.TempDir(), "fiber")
	if err := os.CopyFS(dir, os.DirFS(mod.Dir)); err != nil {
		b.Fatal(err)
	}
	cmd = exec.Command("go", "mod", "download")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("go mod download in fiber: %v\n%s", err, out)
	}
	return dir
}

// open opens a file in the client, as it is on disk, at version 1.
func (c *lspConn) open(tb testing.TB, file string) {
	tb.Helper()
	c.send(tb, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(file), "languageId": "go", "version": 1, "text": readFile(tb, file)},
	})
}

// reportMedian reports the median of times, as ns/op or in seconds.
func reportMedian(b *testing.B, times []time.Duration, unit string) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.Logf("%s: %v", unit, times)
	median := times[len(times)/2]
	if unit == "ns/op" {
		b.ReportMetric(float64(median.Nanoseconds()), unit)
	} else {
		b.ReportMetric(median.Seconds(), unit)
	}
}

// reportMemory reports the process's resident memory and its live heap
// after a collection.
func reportMemory(b *testing.B, suffix string) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/1e6, "MB-live"+suffix)
	if rss := residentMemory(os.Getpid()); rss > 0 {
		b.ReportMetric(rss/1e6, "MB-rss"+suffix)
	}
}

// residentMemory returns a process's resident set in bytes, 0 where
// /proc does not tell.
func residentMemory(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

// goplsFirstDiagnostics starts gopls with its file cache in cache, opens
// file, and returns the time from didOpen to the first diagnostics gopls
// publishes for it, reporting its resident memory then.
func goplsFirstDiagnostics(b *testing.B, gopls, cache, dir, file string) time.Duration {
	b.Helper()
	cmd := exec.Command(gopls)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPLSCACHE="+cache, "GOWORK=off", "GOFLAGS=")
	c, stop := startLSPProcess(b, cmd, 0)
	defer stop()
	uri := fileURI(file)
	c.send(b, 1, "initialize", map[string]any{
		"processId": os.Getpid(), "rootUri": fileURI(dir),
		"capabilities":     map[string]any{"workspace": map[string]any{"configuration": true}},
		"workspaceFolders": []map[string]any{{"uri": fileURI(dir), "name": "fiber"}},
	})
	var start time.Time
	deadline := time.Now().Add(5 * time.Minute)
	for {
		msg, err := c.read(deadline)
		if err != nil {
			b.Fatalf("reading from gopls: %v", err)
		}
		switch {
		case msg.Method == "" && string(msg.ID) == "1":
			c.send(b, 0, "initialized", map[string]any{})
			start = time.Now()
			c.open(b, file)
		case msg.Method != "" && len(msg.ID) > 0:
			// A request: the configuration asked for (the defaults), or
			// anything else, answered with null.
			result := "null"
			if msg.Method == "workspace/configuration" {
				var p struct{ Items []any }
				json.Unmarshal(msg.Params, &p)
				result = "[" + strings.TrimSuffix(strings.Repeat("{},", len(p.Items)), ",") + "]"
			}
			body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, msg.ID, result)
			fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body)
		case msg.Method == "textDocument/publishDiagnostics":
			var p struct{ URI string }
			json.Unmarshal(msg.Params, &p)
			if p.URI == uri && !start.IsZero() {
				d := time.Since(start)
				if rss := residentMemory(cmd.Process.Pid); rss > 0 {
					b.ReportMetric(rss/1e6, "MB-rss")
				}
				return d
			}
		}
	}
}
