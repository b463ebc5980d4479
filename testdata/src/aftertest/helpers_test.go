package aftertest

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

func logf(t testing.TB, format string, args ...any) { // want logf:`reports\(logs=0\)`
	t.Helper()
	t.Logf(format, args...)
}

func check(t *testing.T, err error) { // want check:`reports\(fails=0\)`
	if err != nil {
		t.Error(err)
	}
}

func indirect(t *testing.T) { // want indirect:`reports\(logs=0\)`
	logf(t, "x")
}

func newTestLogger(t *testing.T) *zap.Logger { // want newTestLogger:`reports\(binds=0\)`
	return zaptest.NewLogger(t).Named("test")
}

func logWith(l *zap.Logger) { // want logWith:`reports\(logs=0\)`
	l.Info("x")
}

func TestHelperLogs(t *testing.T) {
	go func() { // want `logf may run after TestHelperLogs has completed`
		logf(t, "late")
	}()
}

func TestHelperFails(t *testing.T) {
	go func() { // want `check may run after TestHelperFails has completed: .* panics the whole test binary`
		check(t, Work())
	}()
}

func TestHelperOfHelper(t *testing.T) {
	go indirect(t) // want `indirect may run after TestHelperOfHelper has completed`
}

func TestOtherPackageHelper(t *testing.T) {
	go func() { // want `LogTo may run after TestOtherPackageHelper has completed`
		LogTo(t, "late")
	}()
}

func TestOwnTestLogger(t *testing.T) {
	logger := newTestLogger(t)
	go func() { // want `logger.Info \(bound to t by newTestLogger at line 56\) may run after TestOwnTestLogger has completed`
		logger.Info("late")
	}()
}

func TestLoggerToHelper(t *testing.T) {
	logger := zaptest.NewLogger(t)
	go func() { // want `logWith \(bound to t by zaptest.NewLogger at line 63\) may run after TestLoggerToHelper`
		logWith(logger)
	}()
}
