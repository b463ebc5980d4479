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
// package in the graph, and the go.mod files, by size and modification
// time, and the open documents it read instead of files, by hash. While
// nothing of it changed, a new load would build the same packages and the
// analyzers would find the same, so the result is reused.
type stamp struct {
	files   map[string]fileStamp
	overlay map[string][sha256.Size]byte
}

type fileStamp struct {
	size int64
	mod  time.Time
}

func stampOf(pkgs []*packages.Package, overlay map[string][]byte) stamp {
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
		// CompiledGoFiles are GoFiles and, for a package that uses cgo,
		// files the go command generates from them in its cache.
		for _, list := range [][]string{p.GoFiles, p.OtherFiles, p.EmbedFiles, p.IgnoredFiles} {
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
	return s
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

// current reports whether a load of dir with overlay would read what s
// recorded.
func (s stamp) current(dir string, overlay map[string][]byte) bool {
	changed, ok := s.changes(dir, overlay)
	return ok && len(changed) == 0
}

// changes returns the paths s recorded whose content a load of dir with
// overlay would find changed (a document opened unsaved, edited, closed,
// or a file or directory whose size or time changed), in no order. It
// fails when the overlay has a new, unsaved file of the package, or s
// records nothing.
func (s stamp) changes(dir string, overlay map[string][]byte) ([]string, bool) {
	if s.files == nil {
		return nil, false
	}
	var changed []string
	for path, data := range overlay {
		_, read := s.files[path]
		if !read && filepath.Dir(path) == dir {
			return nil, false
		}
		if read && s.overlay[path] != sha256.Sum256(data) {
			changed = append(changed, path)
		}
	}
	for path, st := range s.files {
		if _, wasOverlay := s.overlay[path]; wasOverlay {
			if _, isOverlay := overlay[path]; !isOverlay {
				changed = append(changed, path) // closed: the file on disk is read again
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
