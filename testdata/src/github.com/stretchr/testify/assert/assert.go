// Package assert is a stub of testify's assert, for tests.
package assert

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
	for range 100 {
		if condition() {
			return true
		}
	}
	t.Errorf("condition never satisfied")
	return false
}
