package go124

import "testing"

func TestAddDone(t *testing.T) {
	go func() { // want `t.Log may run after TestAddDone has completed`
		t.Log("late")
	}()
}

func TestOneLineBody(t *testing.T) {
	go func() { t.Log("late") }() // want `t.Log may run after TestOneLineBody has completed`
}
