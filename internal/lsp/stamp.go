package lsp

import (
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"
)

// A stamp records what a load read: every file and directory of every
// package in the graph, the go.mod and go.sum files, and the go.work file
// that governs the directory (or where one would), by size and
// modification time, and the open documents it read instead of files, by
// hash. While nothing of it changed, a new load would build the same
// packages and the analyzers would find the same, so the result is reused.
type stamp struct {
	files   map[string]fileStamp
	overlay map[string][sha256.Size]byte
}

type fileStamp struct {
	size int64
	mod  time.Time
}

func stampOf(dir string, pkgs []*packages.Package, overlay map[string][]byte) stamp {
	s := stamp{files: map[string]fileStamp{}, overlay: map[string][sha256.Size]byte{}}
	add := func(path string) {
		if _, ok := s.files[path]; ok {
			return
		}
		if data, ok := overlay[path]; ok {
			s.overlay[path] = sha256.Sum256(data)
		}
		s.files[path] = statOf(path)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if isTestMain(p) {
			// Its file is generated in the build cache from the test
			// files' names, and the go command touches the cache.
			return
		}
		for _, list := range stamped(p) {
			for _, f := range list {
				add(f)
				add(filepath.Dir(f))
			}
		}
		if p.Module != nil && p.Module.GoMod != "" {
			add(p.Module.GoMod)
			add(filepath.Join(filepath.Dir(p.Module.GoMod), "go.sum"))
		}
	})
	for _, f := range goWorkFiles(dir) {
		add(f)
	}
	return s
}

// stamped returns the files of p that a stamp records: its sources, not
// its CompiledGoFiles, which are GoFiles and, for a package that uses
// cgo, files the go command generates from them (and from the headers
// among OtherFiles) in its cache.
func stamped(p *packages.Package) [][]string {
	return [][]string{p.GoFiles, p.OtherFiles, p.EmbedFiles, p.IgnoredFiles}
}

// unchangedSince reports whether every file of p that a stamp records
// has the same stamp in s as in old, none of them open in the editor.
func (s stamp) unchangedSince(old stamp, p *packages.Package, overlay map[string][]byte) bool {
	for _, list := range stamped(p) {
		for _, f := range list {
			if _, open := overlay[f]; open {
				return false
			}
			if was, ok := old.files[f]; !ok || was != s.files[f] {
				return false
			}
		}
	}
	return true
}

// goWorkFiles returns the go.work file the go command would use in dir
// and its go.work.sum, or, when there is none, every place where one
// would be found (its appearing changes the load too): none when GOWORK
// is off, what it names when set.
func goWorkFiles(dir string) []string {
	switch gowork := os.Getenv("GOWORK"); gowork {
	case "off":
		return nil
	case "":
	default:
		return []string{gowork, gowork + ".sum"}
	}
	var files []string
	for d := dir; ; d = filepath.Dir(d) {
		f := filepath.Join(d, "go.work")
		files = append(files, f)
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			return append(files, f+".sum")
		}
		if filepath.Dir(d) == d {
			return files
		}
	}
}

// isTestMain reports whether p is the main package go list generates to
// run a package's tests.
func isTestMain(p *packages.Package) bool {
	return p.Name == "main" && p.ForTest == "" && strings.HasSuffix(p.ID, ".test") &&
		!slices.ContainsFunc(p.GoFiles, func(f string) bool { return filepath.Dir(f) == p.Dir })
}

// statOf returns a file's size and modification time, zero for a file
// that does not exist (its appearing is a change too).
func statOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{size: fi.Size(), mod: fi.ModTime()}
}

// current reports whether a load with overlay would read what s recorded.
func (s stamp) current(overlay map[string][]byte) bool {
	changed, ok := s.changes(overlay)
	return ok && len(changed) == 0
}

// changes returns the paths whose content a load with overlay would find
// changed since s, sorted: a document opened unsaved, edited, or closed
// with other text than the disk's, a file or directory whose size or
// time changed, and an open document that the load did not read in a
// directory it did (a new, unsaved file of a package). It fails when s
// records nothing.
func (s stamp) changes(overlay map[string][]byte) ([]string, bool) {
	if s.files == nil {
		return nil, false
	}
	changed := []string{}
	for path, data := range overlay {
		if _, read := s.files[path]; !read {
			if _, dirRead := s.files[filepath.Dir(path)]; dirRead {
				changed = append(changed, path)
			}
			continue
		}
		if s.overlay[path] != sha256.Sum256(data) {
			changed = append(changed, path)
		}
	}
	for path, st := range s.files {
		if sum, wasOverlay := s.overlay[path]; wasOverlay {
			if _, isOverlay := overlay[path]; !isOverlay {
				// Closed or saved: the file on disk is read again,
				// which is no change when it has the text that was
				// analysed (a save after the run on the unsaved text).
				if data, err := os.ReadFile(path); err != nil || sha256.Sum256(data) != sum {
					changed = append(changed, path)
				}
			}
			continue
		}
		if _, isOverlay := overlay[path]; isOverlay || statOf(path) != st {
			changed = append(changed, path)
		}
	}
	slices.Sort(changed)
	return slices.Compact(changed), true
}

// with returns s with the paths recorded again as they are now.
func (s stamp) with(paths []string, overlay map[string][]byte) stamp {
	next := stamp{files: maps.Clone(s.files), overlay: maps.Clone(s.overlay)}
	for _, path := range paths {
		delete(next.overlay, path)
		if data, ok := overlay[path]; ok {
			next.overlay[path] = sha256.Sum256(data)
		}
		next.files[path] = statOf(path)
	}
	return next
}
