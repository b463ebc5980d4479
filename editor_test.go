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
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
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
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	lsp := &lspConn{w: stdin, r: bufio.NewReader(stdout)}

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
			// racy_test.go:12:2, zero-based in LSP.
			if d.Range.Start.Line == 11 && d.Range.Start.Character == 1 && strings.Contains(d.Message, "ts.Close is deferred, but parallel subtest") {
				return
			}
		}
		t.Fatalf("no deferparallel diagnostic at racy_test.go:12:2 among %+v", params.Diagnostics)
	}
	t.Fatal("no diagnostics published within two minutes")
}

// installEFM installs efm-langserver from the module proxy, once.
func installEFM(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	bin := filepath.Join(cache, "testraces", "efm-"+strings.TrimPrefix(efmVersion[strings.Index(efmVersion, "@"):], "@"))
	exe := filepath.Join(bin, "efm-langserver")
	if _, err := os.Stat(exe); err == nil {
		return exe
	}
	cmd := exec.Command("go", "install", efmVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install %s: %v\n%s", efmVersion, err, out)
	}
	return exe
}

// lspConn speaks JSON-RPC with Content-Length framing over a pipe.
type lspConn struct {
	w io.Writer
	r *bufio.Reader
}

type lspMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// send sends a request (id > 0) or a notification (id 0).
func (c *lspConn) send(t *testing.T, id int, method string, params any) {
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
