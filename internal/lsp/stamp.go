package lsp

import (
	"crypto/sha256"
	"os"
	"path/filepath"
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
		for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles, p.EmbedFiles, p.IgnoredFiles} {
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
	if s.files == nil {
		return false
	}
	for path, data := range overlay {
		_, read := s.files[path]
		if !read && filepath.Dir(path) == dir {
			return false // a new, unsaved file of the package
		}
		if read && s.overlay[path] != sha256.Sum256(data) {
			return false
		}
	}
	for path, st := range s.files {
		if _, wasOverlay := s.overlay[path]; wasOverlay {
			if _, isOverlay := overlay[path]; !isOverlay {
				return false // closed: the file on disk is read again
			}
			continue
		}
		if _, isOverlay := overlay[path]; isOverlay || statOf(path) != st {
			return false
		}
	}
	return true
}
