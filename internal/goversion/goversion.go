// Package goversion turns "this code needs a newer Go" into one line a user
// can act on, for the standalone command, the vet tool and the language
// server alike: which Go the code needs, which Go testraces was built with
// (its type checker reads Go only up to that version) or which go command
// refused, and the command that fixes it.
//
// Without it the user sees the go command's own error wrapped by
// go/packages ("err: exit status 1: stderr: go: go.mod requires go >=
// 1.27 (running go 1.26.8; GOTOOLCHAIN=local)"), or, when the go command
// switched to a newer toolchain, a type error in every file plus the newer
// standard library's own.
package goversion

import (
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"golang.org/x/tools/go/packages"
)

// installPath is what go install installs testraces from.
const installPath = "github.com/testraces/testraces/cmd/testraces"

// A Mismatch is code that needs a newer Go than testraces can read, or
// than the go command it runs is.
type Mismatch struct {
	// Needs is the version the code needs, as its go.mod (or the go
	// command) says it: "1.27", "1.27.3".
	Needs string
	// Built is the Go testraces was built with: runtime.Version().
	Built string
	// GoCommand is the version of the go command that refused to load
	// the code ("1.26.8"), with the GOTOOLCHAIN it ran under; "" when the
	// go command loaded it.
	GoCommand, Toolchain string
	// Env is the user's GOTOOLCHAIN, which names the toolchain to suggest
	// when it is new enough.
	Env string
	// Why says what needs that Go: the code's go.mod (WhyGoMod, the zero
	// value), or the standard library of the toolchain the go command
	// ran (WhyToolchain).
	Why Why
}

// Why is what needs a newer Go.
type Why int

const (
	WhyGoMod     Why = iota // a module's go line
	WhyToolchain            // the go command's toolchain, and so its standard library
)

// builtTooOld reports whether testraces' type checker cannot read Go m.Needs:
// go/types accepts the language versions up to its own.
func (m Mismatch) builtTooOld() bool {
	return version.Compare(version.Lang(goName(m.Needs)), version.Lang(m.Built)) > 0
}

// Message is the line to show.
func (m Mismatch) Message() string {
	tc := m.toolchain()
	install := fmt.Sprintf("GOTOOLCHAIN=%s go install %s@latest", tc, installPath)
	var b strings.Builder
	if m.Why == WhyToolchain {
		fmt.Fprintf(&b, "testraces: the go command runs Go %s, whose standard library is newer Go", strings.TrimPrefix(m.Needs, "go"))
	} else {
		fmt.Fprintf(&b, "testraces: this code needs Go %s (its go.mod's go line)", strings.TrimPrefix(m.Needs, "go"))
	}
	switch built := m.builtTooOld(); {
	case built && m.GoCommand != "":
		fmt.Fprintf(&b, ", but testraces was built with %s and the go command is go%s (GOTOOLCHAIN=%s): install testraces with a newer Go, %s, and run it with GOTOOLCHAIN=%s set",
			m.Built, m.GoCommand, m.Toolchain, install, tc)
	case built:
		fmt.Fprintf(&b, ", but testraces was built with %s, whose type checker reads Go up to %s: install it with a newer Go: %s",
			m.Built, strings.TrimPrefix(version.Lang(m.Built), "go"), install)
	default:
		fmt.Fprintf(&b, ", but the go command that testraces runs is go%s (GOTOOLCHAIN=%s): run testraces with GOTOOLCHAIN=%s set (testraces itself, built with %s, reads Go %s)",
			m.GoCommand, m.Toolchain, tc, m.Built, strings.TrimPrefix(m.Needs, "go"))
	}
	return b.String()
}

// toolchain returns the toolchain to suggest: the user's GOTOOLCHAIN when
// it names one new enough (go1.27.3, go1.27.3+auto), else the release that
// the code needs (go1.27.0 for a go line of 1.27).
func (m Mismatch) toolchain() string {
	env, _, _ := strings.Cut(m.Env, "+")
	if version.IsValid(env) && version.Compare(env, goName(m.Needs)) >= 0 {
		return env
	}
	name := goName(m.Needs)
	if name == version.Lang(name) && strings.Count(name, ".") == 1 {
		name += ".0" // "go 1.27" is the language; its first release is go1.27.0
	}
	return name
}

// goName returns v as Go names a toolchain version: "go" then v.
func goName(v string) string {
	if strings.HasPrefix(v, "go") {
		return v
	}
	return "go" + v
}

func newMismatch(needs string) Mismatch {
	return Mismatch{Needs: needs, Built: runtime.Version(), Env: os.Getenv("GOTOOLCHAIN")}
}

// refused is the go command's error for a go.mod newer than itself when it
// may not switch toolchains (GOTOOLCHAIN=local, or a path toolchain).
var refused = regexp.MustCompile(`go\.mod requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=([^)\s]+)\)`)

// FromLoadError returns the mismatch that err, go/packages' error, says
// the go command refused the code for.
func FromLoadError(err error) (Mismatch, bool) {
	if err == nil {
		return Mismatch{}, false
	}
	sub := refused.FindStringSubmatch(err.Error())
	if sub == nil {
		return Mismatch{}, false
	}
	m := newMismatch(sub[1])
	m.GoCommand, m.Toolchain = sub[2], sub[3]
	return m, true
}

// FromPackages returns the mismatch of the packages the go command
// loaded, and their dependencies, when a module's go line is newer than
// testraces' type checker reads (the go command switched toolchains for
// it): the highest go line wins.
func FromPackages(pkgs []*packages.Package) (Mismatch, bool) {
	needs := ""
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if p.Module == nil || p.Module.GoVersion == "" {
			return
		}
		v := p.Module.GoVersion
		if needs == "" || version.Compare(goName(v), goName(needs)) > 0 {
			needs = v
		}
	})
	if needs == "" {
		return Mismatch{}, false
	}
	m := newMismatch(needs)
	return m, m.builtTooOld()
}

// FromGoVersion returns the mismatch of a package whose language version
// the go command gives as goVersion ("go1.27", as a vet tool's
// configuration says), when testraces' type checker cannot read it.
func FromGoVersion(goVersion string) (Mismatch, bool) {
	if version.Lang(goName(goVersion)) == "" {
		return Mismatch{}, false
	}
	m := newMismatch(strings.TrimPrefix(goVersion, "go"))
	return m, m.builtTooOld()
}

// FromGoMod returns the mismatch of the module that dir is in, when its
// go.mod's go line is newer than testraces' type checker reads: known
// before the go command loads anything, and so before every package is
// type-checked only to fail. Only the go line is read; a go.mod that
// cannot be read or has none says nothing.
func FromGoMod(dir string) (Mismatch, bool) {
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			if sub := goLine.FindSubmatch(data); sub != nil {
				m := newMismatch(string(sub[1]))
				return m, m.builtTooOld()
			}
			return Mismatch{}, false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return Mismatch{}, false
		}
		dir = parent
	}
}

// goLine is a go.mod's go directive.
var goLine = regexp.MustCompile(`(?m)^go[ \t]+([0-9][0-9A-Za-z.]*)[ \t]*(?://.*)?\r?$`)
