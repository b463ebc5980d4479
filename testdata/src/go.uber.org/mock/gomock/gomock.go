// Package gomock is a stub of go.uber.org/mock/gomock, for tests.
package gomock

// TestReporter is the part of testing.TB that gomock uses.
type TestReporter interface {
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// A Controller checks a mock's calls against its expectations and fails
// its test (Fatalf) on an unexpected call.
type Controller struct{ T TestReporter }

// NewController returns a controller failing t.
func NewController(t TestReporter) *Controller { return &Controller{T: t} }

// Call records a call of a mock's method.
func (c *Controller) Call(receiver any, method string, args ...any) []any { return nil }

// A Call is an expected call.
type Call struct{}

// AnyTimes allows the call any number of times.
func (c *Call) AnyTimes() *Call { return c }
