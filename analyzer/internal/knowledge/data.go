package knowledge

import "go/types"

// What a library call makes of the data it is given, for telling a
// snapshot of a resource (the body a server returned, the content of a
// file) from a reference to it (its URL, its path, a wrapper of it).

// ReadsData reports whether fn's results that are plain data (strings,
// numbers, booleans, byte slices) are data read out of what it is given,
// by I/O: io.ReadAll(resp.Body), os.ReadFile(path), r.ReadString('\n'),
// cmd.Output(). Once read, the data no longer needs the resource: closing
// the server or removing the directory afterwards leaves it as it was.
func ReadsData(fn *types.Func) bool {
	reads, _ := readerIndex.lookup(fn)
	return reads
}

var readerIndex = indexed(readers)

// readers maps a package path, then "Name" or "Type.Name", to whether the
// function reads data. Counts (n of Read, Copy) are data read too.
var readers = table[bool]{
	"io": {
		"ReadAll": true, "ReadFull": true, "ReadAtLeast": true, "Copy": true, "CopyN": true, "CopyBuffer": true,
		"Reader.Read": true, "ReaderAt.ReadAt": true, "ByteReader.ReadByte": true, "RuneReader.ReadRune": true,
	},
	"io/ioutil": {"ReadAll": true, "ReadFile": true},
	"io/fs":     {"ReadFile": true},
	"embed":     {"FS.ReadFile": true},
	"os":        {"ReadFile": true, "File.Read": true, "File.ReadAt": true},
	"bufio": {
		"Reader.Read": true, "Reader.ReadByte": true, "Reader.ReadBytes": true, "Reader.ReadLine": true,
		"Reader.ReadRune": true, "Reader.ReadSlice": true, "Reader.ReadString": true, "Reader.Peek": true,
		"Scanner.Text": true, "Scanner.Bytes": true,
	},
	"net": {
		// net's connections (TCPConn, UnixConn, ...) read through their
		// embedded conn.
		"Conn.Read": true, "conn.Read": true,
	},
	"net/textproto": {
		"Reader.ReadLine": true, "Reader.ReadLineBytes": true, "Reader.ReadContinuedLine": true,
		"Reader.ReadDotBytes": true, "Reader.ReadDotLines": true,
	},
	"net/http/httputil": {"DumpResponse": true, "DumpRequest": true, "DumpRequestOut": true},
	"os/exec":           {"Cmd.Output": true, "Cmd.CombinedOutput": true},
}

// KeepsData reports whether fn computes its plain-data results from its
// receiver and arguments only, without I/O: string and path manipulation,
// formatting, parsing, encoding. What its arguments refer to, its result
// refers to (filepath.Join(dir, "k") names a file in dir; fmt.Sprintf("%s/x",
// ts.URL) is the server's address); what they hold as data, it holds as data
// (strings.TrimSpace(page) is a snapshot if page is).
func KeepsData(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if pureAll[fn.Pkg().Path()] {
		return true
	}
	keeps, _ := pureIndex.lookup(fn)
	return keeps
}

var pureIndex = indexed(pure)

// pureAll are the packages every function and method of which is pure.
var pureAll = map[string]bool{
	"strconv": true, "unicode": true, "unicode/utf8": true, "unicode/utf16": true, "path": true,
	"encoding/hex": true, "encoding/base64": true, "encoding/base32": true, "html": true,
	"math": true, "math/bits": true, "cmp": true, "slices": true, "maps": true,
	// strings' and bytes' Readers and Buffers read from memory: data too.
	"strings": true, "bytes": true,
}

var pure = table[bool]{
	"fmt": set("Sprint", "Sprintf", "Sprintln", "Append", "Appendf", "Appendln"),
	"path/filepath": set("Join", "Base", "Dir", "Clean", "Ext", "Split", "SplitList", "ToSlash", "FromSlash",
		"Rel", "IsAbs", "IsLocal", "VolumeName", "Match", "Abs", "Localize"),
	"net":           set("JoinHostPort", "SplitHostPort"),
	"net/url":       set("PathEscape", "PathUnescape", "QueryEscape", "QueryUnescape", "JoinPath", "URL.String", "URL.Hostname", "URL.Port"),
	"encoding/json": set("Marshal", "MarshalIndent", "Valid"),
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// PlainData reports whether values of type t hold data only, no reference
// to anything else: booleans, numbers, strings, and slices, arrays and
// structs of those ([]byte, []string, struct{ Code int; Body string }).
// Pointers, maps, channels, functions and interfaces are not.
func PlainData(t types.Type) bool {
	return plainData(t, nil)
}

func plainData(t types.Type, seen []types.Type) bool {
	for _, s := range seen {
		if types.Identical(s, t) {
			return true
		}
	}
	seen = append(seen, t)
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() != types.UnsafePointer && u.Kind() != types.UntypedNil && u.Kind() != types.Invalid
	case *types.Slice:
		return plainData(u.Elem(), seen)
	case *types.Array:
		return plainData(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if !plainData(f.Type(), seen) {
				return false
			}
		}
		return true
	}
	return false
}
