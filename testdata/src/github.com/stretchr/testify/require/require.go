// Package require is a stub of testify's require, for tests: each
// function stops the test when its assertion fails.
package require

import "github.com/stretchr/testify/assert"

// TestingT is what requirements report to.
type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// NoError requires err to be nil.
func NoError(t TestingT, err error, msgAndArgs ...any) {
	if assert.NoError(t, err, msgAndArgs...) {
		return
	}
	t.FailNow()
}

// Equal requires expected and actual to be equal.
func Equal(t TestingT, expected, actual any, msgAndArgs ...any) {
	if assert.Equal(t, expected, actual, msgAndArgs...) {
		return
	}
	t.FailNow()
}

// True requires value to be true.
func True(t TestingT, value bool, msgAndArgs ...any) {
	if !assert.True(t, value, msgAndArgs...) {
		t.FailNow()
	}
}

// Assertions are requirements bound to a TestingT.
type Assertions struct{ t TestingT }

// New returns requirements reporting to t.
func New(t TestingT) *Assertions { return &Assertions{t} }

// NoError requires err to be nil.
func (a *Assertions) NoError(err error, msgAndArgs ...any) { NoError(a.t, err, msgAndArgs...) }

// Error requires err not to be nil.
func Error(t TestingT, err error, msgAndArgs ...any) {
	if assert.Error(t, err, msgAndArgs...) {
		return
	}
	t.FailNow()
}
