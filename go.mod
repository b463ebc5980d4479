module github.com/testraces/testraces

go 1.26.0

// Patterns such as ./... leave out the racy example: its tests only skip
// themselves in go test ./..., and compiling them (net/http and its
// dependencies, with -race) was a tenth of what the suite built. Named,
// it is read as any package: go run ./cmd/testraces ./example.
ignore ./example

require (
	github.com/golangci/plugin-module-register v0.1.2
	github.com/sourcegraph/jsonrpc2 v0.2.3
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
