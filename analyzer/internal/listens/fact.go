package listens

import (
	"slices"
	"strconv"
	"strings"
)

// Fact says that a function listens on an address it is given: the
// operands in Addr (bit i: operand i, the receiver first) are the address
// it listens on, those in Port the port, those in Network the network
// ("tcp", "udp", "unix"), and Fields the fields of operands that hold an
// address or port (a server's Start listens on its receiver's cfg.Addr).
// A test that calls it with a constant listens on that constant; one that
// hands it a closed listener's address re-binds.
//
// Holds says, of a constructor, which of its operands the fields of its
// result hold (NewServer(addr) returns &Server{addr: addr}): a server's
// Start called on that result listens on the address it was built with.
//
// Untold says that the function also listens on an address it builds in
// ways the folder does not follow (parsed from a configuration it is
// given, read from its environment): callers that hand it an address as
// text may be handing it the one it listens on.
type Fact struct {
	Addr, Port, Network uint64
	Fields              []Field
	Holds               []Held
	Untold              bool
}

// A Field is an operand's field, at a path, that a function listens on.
type Field struct {
	Operand int
	Path    string // "addr", "cfg.Addr"
	Port    bool   // the port only
}

// A Held is a field of a constructor's result, at Path, that holds
// operand Operand (or its field at Sub).
type Held struct {
	Path    string
	Operand int
	Sub     string
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

// listens reports whether the function listens on anything it is given:
// a constructor only holds.
func (f *Fact) listens() bool { return f.Addr|f.Port != 0 || len(f.Fields) > 0 }

func (f *Fact) equal(g *Fact) bool {
	return f.Addr == g.Addr && f.Port == g.Port && f.Network == g.Network && f.Untold == g.Untold &&
		slices.Equal(f.Fields, g.Fields) && slices.Equal(f.Holds, g.Holds)
}

// clone returns a copy of f that adding to does not change f.
func (f *Fact) clone() *Fact {
	g := *f
	g.Fields, g.Holds = slices.Clone(f.Fields), slices.Clone(f.Holds)
	return &g
}

// addField adds fd, keeping Fields sorted and without repeats, so that
// facts do not depend on the order code was visited in.
func (f *Fact) addField(fd Field) {
	if !slices.Contains(f.Fields, fd) {
		f.Fields = append(f.Fields, fd)
		slices.SortFunc(f.Fields, func(a, b Field) int {
			return strings.Compare(a.String(), b.String())
		})
	}
}

func (f *Fact) addHeld(h Held) {
	if !slices.Contains(f.Holds, h) {
		f.Holds = append(f.Holds, h)
		slices.SortFunc(f.Holds, func(a, b Held) int {
			return strings.Compare(a.String(), b.String())
		})
	}
}

func (fd Field) String() string {
	s := strconv.Itoa(fd.Operand) + "." + fd.Path
	if fd.Port {
		s = "port:" + s
	}
	return s
}

func (h Held) String() string {
	s := h.Path + "<" + strconv.Itoa(h.Operand)
	if h.Sub != "" {
		s += "." + h.Sub
	}
	return s
}

func (f *Fact) String() string {
	var parts []string
	for _, set := range []struct {
		name string
		bits uint64
	}{{"addr", f.Addr}, {"port", f.Port}, {"network", f.Network}} {
		var ops []string
		for i := range 64 {
			if set.bits&(1<<i) != 0 {
				ops = append(ops, strconv.Itoa(i))
			}
		}
		if ops != nil {
			parts = append(parts, set.name+"="+strings.Join(ops, ","))
		}
	}
	if len(f.Fields) > 0 {
		var text []string
		for _, fd := range f.Fields {
			text = append(text, fd.String())
		}
		parts = append(parts, "fields="+strings.Join(text, ","))
	}
	if len(f.Holds) > 0 {
		var text []string
		for _, h := range f.Holds {
			text = append(text, h.String())
		}
		parts = append(parts, "holds="+strings.Join(text, ","))
	}
	if f.Untold {
		parts = append(parts, "untold")
	}
	return "listenson " + strings.Join(parts, " ")
}
