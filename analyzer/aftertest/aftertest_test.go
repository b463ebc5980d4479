package aftertest_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/testraces/testraces/analyzer/aftertest"
	"github.com/testraces/testraces/internal/badcode"
)

// TestAddDoneBeforeGo125 checks the fix of a module whose go.mod says go
// 1.24, which has no sync.WaitGroup.Go: wg.Add(1) and defer wg.Done(),
// and no fix when the goroutine's body shares the line of its brace.
func TestAddDoneBeforeGo125(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join("testdata", "go124"), aftertest.Analyzer, "./...")
}

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
