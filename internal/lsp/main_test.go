package lsp

import (
	"os"
	"testing"
)

// TestMain sets, for the whole run, what the tests that load packages with
// the go command need, so that they can run in parallel (t.Setenv cannot):
// no go.work, and no GOFLAGS of the user's.
func TestMain(m *testing.M) {
	os.Setenv("GOWORK", "off")
	os.Setenv("GOFLAGS", "")
	os.Exit(m.Run())
}
