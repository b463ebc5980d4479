package fixedport

import (
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// portsFact lists the fixed ports that a package's tests listen on, with
// where: the packages that import it tell their own tests which other
// places listen on the same port. Facts flow only along imports, so that
// is what a package sees of the module.
type portsFact struct{ Listens []portSite }

// A portSite is one listen on a fixed port. Its place is a file, line
// and column: a token.Pos means nothing to another package's pass.
type portSite struct {
	Port      int
	UDP       bool
	File      string
	Line, Col int
}

// AFact marks portsFact as an analysis fact.
func (*portsFact) AFact() {}

func (f *portsFact) String() string {
	var ports []int
	for _, s := range f.Listens {
		ports = append(ports, s.Port)
	}
	slices.Sort(ports)
	var text []string
	for _, p := range slices.Compact(ports) {
		text = append(text, strconv.Itoa(p))
	}
	return "ports " + strings.Join(text, ",")
}

// siteOf returns where pos is, for a portsFact.
func siteOf(fset *token.FileSet, port int, udp bool, pos token.Pos) portSite {
	p := fset.Position(pos)
	return portSite{Port: port, UDP: udp, File: p.Filename, Line: p.Line, Col: p.Column}
}

// posOf returns the position of s in fset, when fset has its file: the
// standalone driver shares one file set between packages; a vet tool's
// pass sees only its own package's files, and then there is none.
func posOf(files map[string]*token.File, s portSite) token.Pos {
	tf := files[s.File]
	if tf == nil || s.Line < 1 || s.Line > tf.LineCount() {
		return token.NoPos
	}
	start := tf.LineStart(s.Line)
	end := tf.Size()
	if s.Line < tf.LineCount() {
		end = tf.Offset(tf.LineStart(s.Line + 1))
	}
	if off := tf.Offset(start) + s.Col - 1; s.Col >= 1 && off < end {
		return tf.Pos(off)
	}
	return start
}

// sortSites orders sites by place, so that facts and related positions
// do not depend on map order.
func sortSites(sites []portSite) {
	slices.SortFunc(sites, func(a, b portSite) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}
