// Package mocklike is a stub of testify's mock: a Mock fails the test it
// was handed (Test(t)) when a call is not expected, and panics when it
// was handed none.
package mocklike

// TestingT is what a mock reports to.
type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// Mock records calls.
type Mock struct{ test TestingT }

// Test hands the mock the test to fail.
func (m *Mock) Test(t TestingT) { m.test = t }

// Called records a call and fails the test if it was not expected.
func (m *Mock) Called(args ...any) { // want Called:"failsnow=0"
	if m.test == nil {
		panic("mock: unexpected call, and no test to fail")
	}
	m.test.FailNow()
}
