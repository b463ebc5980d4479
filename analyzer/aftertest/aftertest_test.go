package aftertest_test

import (
	"testing"

	"github.com/testraces/testraces/analyzer/aftertest"
	"github.com/testraces/testraces/internal/badcode"
)

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"testing"
	"time"
)

func TestBad(t *testing.T) {
	go func() { t.Log(undefined) }()
	go undefinedFunc(t)
	go func(x int) { t.Errorf("%d", x) }()
	logger := missing.NewLogger(t)
	go func() { logger.Info("x") }()
	time.AfterFunc(time.Second, nil)
	time.AfterFunc(time.Second, func() { t.Error() })
	go t.Log()
	go func() {
		select {
		case <-t.Context().Done():
		}
	}()
	var f func()
	go f()
	go func() { t.Log(); close(done) }()
	select {
	case <-done:
	case <-time.After(undefinedDur):
		t.Log(missing)
	case v := <-nowhere.C:
	case <-undefinedCtx.Done():
	default:
	}
}

func helper(t testing.TB) undefinedType {
	go func() { t.Log() }()
	return
}
`
	diags := badcode.Run(t, aftertest.Analyzer, src)
	if diags == 0 {
		t.Error("no finding for go func() { t.Log(undefined) }(): was the code checked at all?")
	}
}
