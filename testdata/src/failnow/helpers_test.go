package failnow

import (
	"testing"

	"testutil"
)

func TestOtherPackageHelper(t *testing.T) {
	var err error
	go testutil.Must(t, err) // want `testutil.Must is called on a goroutine`
	go func() {
		testutil.Must(t, err)        // want `testutil.Must is called on a goroutine .* have it report with Error and return, or call it on the test's goroutine`
		testutil.MustThrough(t, err) // want `testutil.MustThrough is called on a goroutine`
		testutil.Check(t, err)
	}()
	h := &testutil.Helper{T: t}
	go func() {
		h.Fail("x") // want `h.Fail is called on a goroutine`
	}()
}

func TestSafeHelper(t *testing.T) {
	go func() {
		report(t)
	}()
}

func report(t testing.TB) {
	t.Error("x")
	t.Errorf("x")
	t.Log("x")
	t.Fail()
}
