package failnow

// Code that go test never runs: a test disabled by its name, which
// nothing calls. A function of the same shape that a test runs is code
// like any other.

import "testing"

func DisabledGoroutineFatal(t *testing.T) {
	go func() {
		t.Fatal("never runs")
	}()
}

func goroutineFatalRunAsASubtest(t *testing.T) {
	go func() {
		t.Fatal("runs") // want `t.Fatal is called on a goroutine started at line 16`
	}()
}

func TestRunsANamedSubtest(t *testing.T) {
	t.Run("named", goroutineFatalRunAsASubtest)
}
