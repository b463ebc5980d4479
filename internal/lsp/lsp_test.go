package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testraces/testraces"
)

func TestMapper(t *testing.T) {
	// é is 2 bytes and 1 UTF-16 unit, 😀 4 bytes and 2 units, \xff an
	// invalid byte counted as 1.
	text := "ab\né😀x\n\xffy"
	m := newMapper([]byte(text))
	for _, tc := range []struct {
		offset int
		pos    Position
	}{
		{0, Position{0, 0}},
		{2, Position{0, 2}},
		{3, Position{1, 0}},
		{5, Position{1, 1}},  // after é
		{9, Position{1, 3}},  // after 😀
		{10, Position{1, 4}}, // after x
		{12, Position{2, 1}}, // after \xff
		{13, Position{2, 2}},
	} {
		if got := m.position(tc.offset); got != tc.pos {
			t.Errorf("position(%d) = %v, want %v", tc.offset, got, tc.pos)
		}
		if got := m.offset(tc.pos); got != tc.offset {
			t.Errorf("offset(%v) = %d, want %d", tc.pos, got, tc.offset)
		}
	}
	// Past the end of a line: its end; past the last line: the end.
	if got := m.offset(Position{0, 99}); got != 2 {
		t.Errorf("offset past the line's end = %d, want 2", got)
	}
	if got := m.offset(Position{9, 0}); got != len(text) {
		t.Errorf("offset past the last line = %d, want %d", got, len(text))
	}
}

func TestOverlaps(t *testing.T) {
	r := Range{Position{1, 2}, Position{1, 5}}
	for _, tc := range []struct {
		other Range
		want  bool
	}{
		{Range{Position{1, 5}, Position{1, 5}}, true}, // a cursor at the end
		{Range{Position{1, 0}, Position{1, 2}}, true},
		{Range{Position{0, 0}, Position{3, 0}}, true},
		{Range{Position{1, 6}, Position{1, 7}}, false},
		{Range{Position{0, 9}, Position{1, 1}}, false},
	} {
		if got := overlaps(r, tc.other); got != tc.want {
			t.Errorf("overlaps(%v, %v) = %v", r, tc.other, got)
		}
	}
}

func TestWantsQuickFix(t *testing.T) {
	for only, want := range map[string]bool{"": true, "quickfix": true, "refactor": false, "source.organizeImports": false} {
		var kinds []string
		if only != "" {
			kinds = []string{only}
		}
		if got := wantsQuickFix(kinds); got != want {
			t.Errorf("wantsQuickFix(%q) = %v", kinds, got)
		}
	}
}

func TestURI(t *testing.T) {
	path := "/tmp/a dir/ü_test.go"
	if got := uriPath(pathURI(path)); got != path {
		t.Errorf("uriPath(pathURI(%q)) = %q", path, got)
	}
	for _, uri := range []string{"untitled:Untitled-1", "file://", "%zz", "file:relative.go"} {
		if got := uriPath(uri); got != "" {
			t.Errorf("uriPath(%q) = %q, want none", uri, got)
		}
	}
}

// TestStreamMalformed checks that a message the stream cannot decode gets
// an error response and the next message is read.
func TestStreamMalformed(t *testing.T) {
	in := frame(`{"jsonrpc":"2.0","id":1,"method":`) + "Content-Length: x\r\n\r\n" + frame(`{"jsonrpc":"2.0","id":2}`) + frame(`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`)
	var out strings.Builder
	s := &stream{r: bufio.NewReader(strings.NewReader(in)), w: &out, c: io.NopCloser(nil)}
	var msg request
	if err := s.ReadObject(&msg); err != nil || msg.ID != 3 || msg.Method != "shutdown" {
		t.Fatalf("ReadObject = %+v, %v; want the shutdown request", msg, err)
	}
	got := out.String()
	for _, want := range []string{`"id":null,"error":{"code":-32700`, `"id":2,"error":{"code":-32600`} {
		if !strings.Contains(got, want) {
			t.Errorf("replies %s, want one with %s", got, want)
		}
	}
	if strings.Count(got, "\r\n\r\n") != 3 {
		t.Errorf("replies %s, want three", got)
	}
}

// request decodes only requests, as jsonrpc2's message type does.
type request struct {
	ID     int
	Method string
}

func (r *request) UnmarshalJSON(data []byte) error {
	var v struct {
		ID     int     `json:"id"`
		Method *string `json:"method"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v.Method == nil {
		return errors.New("not a request")
	}
	r.ID, r.Method = v.ID, *v.Method
	return nil
}

func frame(body string) string {
	return "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestAnalyzeUTF16 analyses a file whose finding follows non-ASCII text
// on its line: the column counts UTF-16 units, not bytes.
func TestAnalyzeUTF16(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module u\n\ngo 1.26.0\n")
	src := "package u\n\nimport (\n\t\"sync\"\n\t\"testing\"\n)\n\nfunc TestFailNow(t *testing.T) {\n\tvar wg sync.WaitGroup\n\twg.Go(func() { _ = \"é😀\"; t.Fatal(\"boom\") })\n\twg.Wait()\n}\n"
	write(t, filepath.Join(dir, "u_test.go"), src)
	res, err := analyze(context.Background(), dir, nil, guarded(testraces.Analyzers()), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := res.findings[filepath.Join(dir, "u_test.go")]
	if len(fs) != 1 {
		t.Fatalf("findings %+v, want one", fs)
	}
	// `\twg.Go(func() { _ = "é😀"; ` is 27 UTF-16 units, 30 bytes.
	if got, want := fs[0].diag.Range.Start, (Position{9, 27}); got != want {
		t.Errorf("the finding starts at %v, want %v", got, want)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
