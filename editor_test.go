package testraces_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// efmVersion is the efm-langserver the editor test drives: a language
// server that runs a linter and publishes its findings, as Neovim, Helix
// and other LSP clients use it with golangci-lint. (golangci-lint-langserver
// does the same, but the module proxy here serves none of its versions.)
const efmVersion = "github.com/mattn/efm-langserver@v0.0.57"

// efmConfig is the efm-langserver configuration in the README, with the
// custom golangci-lint's path filled in.
const efmConfig = `version: 2
root-markers:
  - go.mod
tools:
  go-testraces: &go-testraces
    lint-command: 'CUSTOM_GCL run --output.text.path=stdout --output.text.print-issued-lines=false --show-stats=false ./...'
    lint-workspace: true
    lint-ignore-exit-code: true
    lint-after-open: true
    lint-formats:
      - '%f:%l:%c: %m'
languages:
  go:
    - <<: *go-testraces
`

// TestEditorLanguageServer opens a fixture file in a language server
// pointed at the custom golangci-lint and waits for the testraces
// diagnostic at the right range, as an editor would show it.
func TestEditorLanguageServer(t *testing.T) {
	skipShort(t, "builds golangci-lint with the plugin and installs efm-langserver from the module proxy")
	t.Parallel()
	gcl := customGolangci(t)
	efm := installEFM(t)

	dir := copyFixture(t)
	config, err := os.ReadFile(".golangci.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ".golangci.yml"), config)
	efmYAML := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, efmYAML, []byte(strings.ReplaceAll(efmConfig, "CUSTOM_GCL", gcl)))

	cmd := exec.Command(efm, "-c", efmYAML)
	cmd.Dir = dir
	// TMPDIR: golangci-lint's lock file (see runGolangci).
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "TMPDIR="+t.TempDir())
	lsp, stop := startLSPProcess(t, cmd, 0)
	defer stop()

	file := filepath.Join(dir, "racy_test.go")
	uri := (&url.URL{Scheme: "file", Path: file}).String()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lsp.send(t, 1, "initialize", map[string]any{
		"processId":    os.Getpid(),
		"rootUri":      (&url.URL{Scheme: "file", Path: dir}).String(),
		"capabilities": map[string]any{},
	})
	lsp.send(t, 0, "initialized", map[string]any{})
	lsp.send(t, 0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": string(text)},
	})

	// Wait for the diagnostics of the file.
	type diagnostic struct {
		Range struct {
			Start struct{ Line, Character int }
		}
		Message string
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		msg, err := lsp.read(deadline)
		if err != nil {
			t.Fatalf("reading from the language server: %v", err)
		}
		if msg.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var params struct {
			URI         string
			Diagnostics []diagnostic
		}
		if err := json.Unmarshal(msg.Params, &params); err != nil {
			t.Fatal(err)
		}
		if params.URI != uri || len(params.Diagnostics) == 0 {
			continue
		}
		for _, d := range params.Diagnostics {
			// racy_test.go:11:2, zero-based in LSP.
			if d.Range.Start.Line == 10 && d.Range.Start.Character == 1 && strings.Contains(d.Message, "ln.Close is deferred, but parallel subtest") {
				return
			}
		}
		t.Fatalf("no deferparallel diagnostic at racy_test.go:11:2 among %+v", params.Diagnostics)
	}
	t.Fatal("no diagnostics published within two minutes")
}

// installEFM installs efm-langserver from the module proxy, once.
func installEFM(t *testing.T) string {
	t.Helper()
	exe, err := efmOnce()
	if err != nil {
		t.Fatalf("go install %s: %v", efmVersion, err)
	}
	return exe
}

var efmOnce = sync.OnceValues(func() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	bin := filepath.Join(cache, "testraces", "efm-"+strings.TrimPrefix(efmVersion[strings.Index(efmVersion, "@"):], "@"))
	exe := filepath.Join(bin, "efm-langserver")
	if _, err := os.Stat(exe); err == nil {
		return exe, nil
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	gobin, err := os.MkdirTemp(bin, "install")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(gobin)
	if out, err := build(".", []string{"GOBIN=" + gobin}, "go", "install", efmVersion); err != nil {
		return "", fmt.Errorf("%v\n%s", err, out)
	}
	return exe, installAtomically(filepath.Join(gobin, "efm-langserver"), exe)
})

// lspConn speaks JSON-RPC with Content-Length framing over a pipe.
type lspConn struct {
	w io.Writer
	r *bufio.Reader
}

// startLSPProcess starts cmd, a language server speaking on its standard
// input and output, and returns the connection to it, and stop, which
// closes its input, gives it grace to exit, and then kills it.
func startLSPProcess(t testing.TB, cmd *exec.Cmd, grace time.Duration) (*lspConn, func()) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(grace):
			cmd.Process.Kill()
			<-done
		}
	}
	return &lspConn{w: stdin, r: bufio.NewReader(stdout)}, stop
}

type lspMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// send sends a request (id > 0) or a notification (id 0).
func (c *lspConn) send(t testing.TB, id int, method string, params any) {
	t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
	if id > 0 {
		msg["id"] = id
	}
	body, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		t.Fatal(err)
	}
}

// read reads the next message, giving up at deadline.
func (c *lspConn) read(deadline time.Time) (lspMessage, error) {
	type result struct {
		msg lspMessage
		err error
	}
	done := make(chan result, 1)
	go func() {
		msg, err := c.readMessage()
		done <- result{msg, err}
	}()
	select {
	case r := <-done:
		return r.msg, r.err
	case <-time.After(time.Until(deadline)):
		return lspMessage{}, fmt.Errorf("timed out")
	}
}

func (c *lspConn) readMessage() (lspMessage, error) {
	body, err := c.readBody()
	if err != nil {
		return lspMessage{}, err
	}
	var msg lspMessage
	err = json.Unmarshal(body, &msg)
	return msg, err
}

// readBody reads the body of the next message.
func (c *lspConn) readBody() ([]byte, error) {
	length := -1
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length:"); ok {
			length, err = strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return nil, err
			}
		}
	}
	if length < 0 {
		return nil, fmt.Errorf("message without Content-Length")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// neovimConfig is the README's Neovim 0.7+ configuration, as the Neovim
// test loads it.
const neovimConfig = `-- testraces beside gopls, for every Go buffer (Neovim 0.7+).
local testraces
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'go',
  callback = function(args)
    testraces = testraces or vim.lsp.start_client({
      name = 'testraces',
      cmd = { 'testraces', 'lsp' },
      root_dir = vim.fn.getcwd(),
    })
    vim.lsp.buf_attach_client(args.buf, testraces)
  end,
})
`

// neovimDriver does what a user would in the buffer of racy_test.go:
// wait for the diagnostics, ask for the code actions on line 11, pick the
// first, and write the file; then it waits for the diagnostics of the
// saved file. It writes what it saw to $TESTRACES_NVIM_OUT and exits
// non-zero on a failure.
const neovimDriver = `
local out = assert(io.open(os.getenv('TESTRACES_NVIM_OUT'), 'w'))
local function fail(msg)
  out:write('FAIL ' .. msg .. '\n')
  out:close()
  vim.cmd('cquit 1')
end
local buf = vim.api.nvim_get_current_buf()
if not vim.wait(120000, function() return #vim.diagnostic.get(buf) > 0 end, 100) then
  fail('no diagnostics within two minutes')
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  out:write(string.format('diagnostic %d:%d %s\n', d.lnum + 1, d.col + 1, d.message))
end
vim.ui.select = function(items, opts, on_choice) on_choice(items[1]) end -- the user picks the first
vim.api.nvim_win_set_cursor(0, { 11, 1 })
vim.lsp.buf.code_action()
if not vim.wait(20000, function() return vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]:find('t.Cleanup', 1, true) ~= nil end, 50) then
  fail('the quick fix was not applied: ' .. vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1])
end
local before = #vim.diagnostic.get(buf)
vim.cmd('write')
if not vim.wait(120000, function() return #vim.diagnostic.get(buf) == before - 1 end, 100) then
  fail('diagnostics after the save: ' .. #vim.diagnostic.get(buf))
end
out:write('saved\n')
out:close()
vim.cmd('qall!')
`

// TestNeovim runs headless Neovim with the README's configuration on the
// fixture: it shows testraces' diagnostics, applies the deferparallel
// quick fix and writes the file, which must then be the golden file.
func TestNeovim(t *testing.T) {
	skipShort(t, "builds testraces and runs headless Neovim (apt-get install neovim) on testdata/fixture")
	t.Parallel()
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nvim is not installed; .ci/run installs it")
		}
		t.Skip("nvim is not installed (apt-get install neovim)")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), neovimConfig) {
		t.Error("README.md does not show the Neovim configuration this test runs")
	}
	bin := buildTestraces(t)
	dir := copyFixture(t)
	home := t.TempDir()
	config := filepath.Join(home, "init.lua")
	driver := filepath.Join(home, "driver.lua")
	outFile := filepath.Join(home, "out.txt")
	writeFile(t, config, []byte(neovimConfig))
	writeFile(t, driver, []byte(neovimDriver))

	start := time.Now()
	cmd := exec.Command(nvim, "--headless", "--clean", "-u", config, "-c", "luafile "+driver, "racy_test.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "HOME="+home, "XDG_STATE_HOME="+home, "XDG_DATA_HOME="+home,
		"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "TESTRACES_NVIM_OUT="+outFile)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		err = <-done
		t.Errorf("nvim did not finish within five minutes")
	}
	out, _ := os.ReadFile(outFile)
	t.Logf("nvim ran %v:\n%s", time.Since(start), out)
	if err != nil {
		t.Fatalf("nvim: %v\n%s\n%s", err, out, stderr.String())
	}
	for _, want := range []string{"diagnostic 11:2 ln.Close is deferred", "diagnostic 21:3 t.Fatal is called", "diagnostic 28:2 request may run", "saved"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("nvim saw no %q", want)
		}
	}
	fixed, err := os.ReadFile(filepath.Join(dir, "racy_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("testdata/lsp/racy_test.go.deferparallel.golden")
	if err != nil {
		t.Fatal(err)
	}
	if string(fixed) != string(golden) {
		t.Errorf("racy_test.go as Neovim wrote it:\n%s\nwant (testdata/lsp/racy_test.go.deferparallel.golden):\n%s", fixed, golden)
	}
}
