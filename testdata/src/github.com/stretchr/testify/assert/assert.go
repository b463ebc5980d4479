// Package assert is a stub of testify's assert, for tests.
package assert

import "runtime"

// TestingT is what assertions report to.
type TestingT interface {
	Errorf(format string, args ...any)
}

// NoError asserts that err is nil.
func NoError(t TestingT, err error, msgAndArgs ...any) bool {
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		return false
	}
	return true
}

// Equal asserts that expected and actual are equal.
func Equal(t TestingT, expected, actual any, msgAndArgs ...any) bool {
	if expected != actual {
		t.Errorf("not equal: %v != %v", expected, actual)
		return false
	}
	return true
}

// True asserts that value is true.
func True(t TestingT, value bool, msgAndArgs ...any) bool {
	if !value {
		t.Errorf("should be true")
	}
	return value
}

// Assertions are assertions bound to a TestingT.
type Assertions struct{ t TestingT }

// New returns assertions reporting to t.
func New(t TestingT) *Assertions { return &Assertions{t} }

// NoError asserts that err is nil.
func (a *Assertions) NoError(err error, msgAndArgs ...any) bool {
	return NoError(a.t, err, msgAndArgs...)
}

// Eventually asserts that condition returns true within waitFor, checking
// every tick.
func Eventually(t TestingT, condition func() bool, waitFor, tick any, msgAndArgs ...any) bool {
	ch := make(chan bool, 1)
	for range 100 {
		go func() { ch <- condition() }() // as testify does: each tick on a goroutine of its own
		if <-ch {
			return true
		}
	}
	t.Errorf("condition never satisfied")
	return false
}

// CollectT collects the failures of one tick of EventuallyWithT.
type CollectT struct{ errors []error }

// Errorf records a failure of the tick.
func (c *CollectT) Errorf(format string, args ...any) { c.errors = append(c.errors, nil) }

// FailNow ends the tick's goroutine, as it is meant to.
func (c *CollectT) FailNow() {
	c.Errorf("failed")
	runtime.Goexit()
}

// EventuallyWithT asserts that condition passes its assertions within
// waitFor, running each tick on a goroutine of its own.
func EventuallyWithT(t TestingT, condition func(collect *CollectT), waitFor, tick any, msgAndArgs ...any) bool {
	for range 100 {
		c := &CollectT{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			condition(c)
		}()
		<-done
		if len(c.errors) == 0 {
			return true
		}
	}
	t.Errorf("condition never satisfied")
	return false
}

// Error asserts that err is not nil.
func Error(t TestingT, err error, msgAndArgs ...any) bool {
	if err == nil {
		t.Errorf("want an error")
		return false
	}
	return true
}

// ErrorIs asserts that err is target or wraps it.
func ErrorIs(t TestingT, err, target error, msgAndArgs ...any) bool {
	if err != target {
		t.Errorf("%v is not %v", err, target)
		return false
	}
	return true
}

type failNower interface{ FailNow() }

// FailNow fails the test and stops it, through FailNow when t has one.
func FailNow(t TestingT, failureMessage string, msgAndArgs ...any) bool {
	t.Errorf("%s", failureMessage)
	if t, ok := t.(failNower); ok {
		t.FailNow()
	} else {
		panic("test failed and t is missing FailNow")
	}
	return false
}
