package analysisutil

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Source is a file of the package being analysed, with its text, for
// building fixes that keep the code's own formatting.
type Source struct {
	File  *ast.File
	Token *token.File
	Text  []byte
}

// SourceOf returns the file of pass that holds pos.
func SourceOf(pass *analysis.Pass, pos token.Pos) (*Source, bool) {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			tf := pass.Fset.File(f.FileStart)
			text, err := pass.ReadFile(tf.Name())
			if err != nil || len(text) != tf.Size() {
				// Not the text that was parsed (an editor's unsaved
				// buffer was): no fix rather than one at wrong offsets.
				return nil, false
			}
			return &Source{File: f, Token: tf, Text: text}, true
		}
	}
	return nil, false
}

// Of returns the source text of n.
func (s *Source) Of(n ast.Node) string { return s.Between(n.Pos(), n.End()) }

// Between returns the source text from from to to.
func (s *Source) Between(from, to token.Pos) string {
	return string(s.Text[s.Token.Offset(from):s.Token.Offset(to)])
}

// Indent returns the white space that starts pos's line, if pos starts it:
// the indentation for statements inserted before pos.
func (s *Source) Indent(pos token.Pos) (string, bool) {
	start := s.Token.Offset(s.Token.LineStart(s.Token.Line(pos)))
	prefix := string(s.Text[start:s.Token.Offset(pos)])
	return prefix, strings.TrimLeft(prefix, " \t") == ""
}

// EndOfLine returns the end of pos's line, if nothing but white space and
// a line comment follows pos on it.
func (s *Source) EndOfLine(pos token.Pos) (token.Pos, bool) {
	off := s.Token.Offset(pos)
	end := off
	for end < len(s.Text) && s.Text[end] != '\n' {
		end++
	}
	rest := strings.TrimSpace(string(s.Text[off:end]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return token.NoPos, false
	}
	return s.Token.Pos(end), true
}

// Imports reports whether pkg is path or imports it directly.
func Imports(pkg *types.Package, path string) bool {
	if pkg.Path() == path {
		return true
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return true
		}
	}
	return false
}

// Sources reads each file of one pass at most once, however many fixes
// are built in it: a test file with dozens of findings is otherwise read
// for each. One belongs to one pass; nothing outlives it.
type Sources struct {
	pass  *analysis.Pass
	files map[*ast.File]*Source // nil: read, not the text that was parsed
}

// NewSources returns the Sources of pass.
func NewSources(pass *analysis.Pass) *Sources {
	return &Sources{pass: pass, files: make(map[*ast.File]*Source)}
}

// Of is SourceOf, reading the file once.
func (s *Sources) Of(pos token.Pos) (*Source, bool) {
	for _, f := range s.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			src, read := s.files[f]
			if !read {
				src, _ = SourceOf(s.pass, pos)
				s.files[f] = src
			}
			return src, src != nil
		}
	}
	return nil, false
}
