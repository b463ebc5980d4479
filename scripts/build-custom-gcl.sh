#!/usr/bin/env bash
# Builds golangci-lint with the testraces plugin from the Go module proxy
# alone, the same binary `golangci-lint custom` builds from a clone of
# golangci-lint's repository (which needs GitHub).
#
#   scripts/build-custom-gcl.sh [OUTPUT] [TESTRACES_DIR]
#
# OUTPUT defaults to ./custom-gcl; TESTRACES_DIR, the testraces module to
# build in, defaults to this checkout (a replace directive points at it).
# The golangci-lint version is the one .custom-gcl.example.yml names.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-custom-gcl}")
plugin=$(realpath "${2:-$here}")
version=$(sed -n 's/^version: *//p' "$here/.custom-gcl.example.yml")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/go.mod" <<MOD
module custom-gcl

go 1.26.0

require (
	github.com/golangci/golangci-lint/v2 $version
	github.com/testraces/testraces v0.0.0
)

replace github.com/testraces/testraces => $plugin
MOD
# What golangci-lint's own main does, plus the plugin's import: the line
# `golangci-lint custom` adds to cmd/golangci-lint/plugins.go.
cat > "$work/main.go" <<'MAIN'
// Command custom-gcl is golangci-lint with the testraces plugin.
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/testraces/testraces"
)

func main() {
	info := commands.BuildInfo{Version: "custom", GoVersion: "go", Commit: "testraces", Date: "(unknown)"}
	if err := commands.Execute(info); err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
MAIN
cd "$work"
GOWORK=off GOFLAGS=-mod=mod go mod tidy
GOWORK=off go build -o "$out" .
echo "built $out (golangci-lint $version with testraces from $plugin)"
