package lsp

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// A mapper converts between byte offsets in a file's content and LSP
// positions, whose characters count UTF-16 code units: a character
// outside the Basic Multilingual Plane (an emoji) is two, and a byte that
// is not valid UTF-8 counts as one, as the go/token columns count it.
type mapper struct {
	content []byte
	lines   []int // the offset at which each line starts
}

func newMapper(content []byte) *mapper {
	lines := []int{0}
	for i, b := range content {
		if b == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &mapper{content: content, lines: lines}
}

// position returns the position of offset, clamped to the content.
func (m *mapper) position(offset int) Position {
	offset = max(0, min(offset, len(m.content)))
	line := sort.Search(len(m.lines), func(i int) bool { return m.lines[i] > offset }) - 1
	return Position{Line: uint32(line), Character: uint32(utf16Len(m.content[m.lines[line]:offset]))}
}

// offset returns the byte offset of pos. A character past the end of its
// line stands for the end of the line, and a line past the end for the
// end of the content, as the specification asks.
func (m *mapper) offset(pos Position) int {
	if int(pos.Line) >= len(m.lines) {
		return len(m.content)
	}
	start := m.lines[pos.Line]
	line := m.content[start:]
	if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	units := 0
	for i := 0; i < len(line); {
		if units >= int(pos.Character) {
			return start + i
		}
		r, size := utf8.DecodeRune(line[i:])
		units += runeUTF16Len(r, size)
		i += size
	}
	return start + len(line)
}

// utf16Len returns how many UTF-16 code units text is.
func utf16Len(text []byte) int {
	n := 0
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		n += runeUTF16Len(r, size)
		text = text[size:]
	}
	return n
}

// runeUTF16Len returns how many UTF-16 code units a decoded rune is: two
// above the Basic Multilingual Plane, one otherwise, an invalid byte
// included.
func runeUTF16Len(r rune, size int) int {
	if r >= 0x10000 && size == 4 {
		return 2
	}
	return 1
}
