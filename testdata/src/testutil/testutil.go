// Package testutil is a helper package whose helpers stop the test they
// are given: their facts reach the packages that call them.
package testutil

import "testing"

// Must stops the test if err is not nil.
func Must(t testing.TB, err error) { // want Must:"failsnow=0"
	if err != nil {
		t.Fatal(err)
	}
}

// MustThrough stops the test through another helper.
func MustThrough(t testing.TB, err error) { // want MustThrough:"failsnow=0"
	Must(t, err)
}

// Check only reports: no fact.
func Check(t testing.TB, err error) {
	if err != nil {
		t.Error(err)
	}
}

// Spawn runs f on a new goroutine.
func Spawn(f func()) { // want Spawn:"async=0"
	go f()
}

// Helper holds a testing value.
type Helper struct{ T *testing.T }

// Fail stops the test the helper holds.
func (h *Helper) Fail(msg string) { // want Fail:"failsnow=0"
	h.T.Fatal(msg)
}
