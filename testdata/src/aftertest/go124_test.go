//go:build go1.24

// The fix in a file whose Go version is 1.24, as in a module whose go.mod
// says go 1.24: no sync.WaitGroup.Go, so wg.Add(1) and defer wg.Done();
// and no fix when the goroutine's body shares the line of its brace.

package aftertest

import "testing"

func TestAddDoneBeforeGo125(t *testing.T) {
	go func() { // want `t.Log may run after TestAddDoneBeforeGo125 has completed`
		t.Log("late")
	}()
}

func TestOneLineBodyBeforeGo125(t *testing.T) {
	go func() { t.Log("late") }() // want `t.Log may run after TestOneLineBodyBeforeGo125 has completed`
}
