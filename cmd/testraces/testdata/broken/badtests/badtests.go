// Package badtests type-checks, but its tests do not.
package badtests

import "testing"

// Check is analysed though the package's tests are not.
func Check(t *testing.T) {
	go func() {
		t.Fatal("boom")
	}()
}
