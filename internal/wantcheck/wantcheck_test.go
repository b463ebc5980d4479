package wantcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWantText(t *testing.T) {
	for _, tc := range []struct {
		comment, text string
		ok            bool
	}{
		{"// want `x`", " `x`", true},
		{"/* want \"x\" */", " \"x\"", true},
		{"// go:generate // want `x`", " `x`", true},
		{"// wanted", "ed", true}, // as analysistest reads it: parseWant then rejects it
		{"// nothing", "", false},
	} {
		text, ok := wantText(tc.comment)
		if text != tc.text || ok != tc.ok {
			t.Errorf("wantText(%q) = %q, %v; want %q, %v", tc.comment, text, ok, tc.text, tc.ok)
		}
	}
}

func TestParseWant(t *testing.T) {
	delta, expects, err := parseWant(" +2 `a.c` Run:\"fact\" \"b\"")
	if err != nil {
		t.Fatal(err)
	}
	if delta != 2 || len(expects) != 3 {
		t.Fatalf("delta %d, %d expectations; want 2, 3", delta, len(expects))
	}
	if e := expects[0]; e.fact || e.rx.String() != "a.c" {
		t.Errorf("first: %+v, want the diagnostic a.c", e)
	}
	if e := expects[1]; !e.fact || e.name != "Run" || e.rx.String() != "fact" {
		t.Errorf("second: %+v, want the fact Run:fact", e)
	}
	for _, bad := range []string{"ed", " Run `x`", " `(`", " +x"} {
		if _, _, err := parseWant(bad); err == nil {
			t.Errorf("parseWant(%q): no error", bad)
		}
	}
}

func TestCompareGolden(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	write := func(name, text string) {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(file, "package a\n\nvar x = 1\n")
	write(file+".golden", "package a\n\nvar y = 2\n")
	x, one := strings.Index("package a\n\nvar x = 1\n", "x"), strings.Index("package a\n\nvar x = 1\n", "1")

	// Two diagnostics may make the same edit: it applies once.
	if err := compareGolden(file, []edit{{x, x + 1, "y"}, {one, one + 1, "2"}, {x, x + 1, "y"}}); err != nil {
		t.Errorf("the fixes that give the golden file: %v", err)
	}
	if err := compareGolden(file, []edit{{x, x + 1, "y"}}); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("a fix short of the golden file: %v, want the difference at line 3", err)
	}
	if err := compareGolden(file, []edit{{x, one, "y = "}, {x, x + 1, "z"}}); err == nil || !strings.Contains(err.Error(), "conflicting") {
		t.Errorf("overlapping edits: %v, want a conflict", err)
	}
	if err := compareGolden(file, []edit{{x, x, "y"}, {x, x, "z"}}); err == nil || !strings.Contains(err.Error(), "conflicting") {
		t.Errorf("two insertions at one place: %v, want a conflict", err)
	}
}
