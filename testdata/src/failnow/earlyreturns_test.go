package failnow

import (
	"testing"

	"batchlike"

	"github.com/stretchr/testify/require"
)

// A function that runs its callback on goroutines only past early
// returns (gqlgen's MarshalSliceConcurrently with none or one element): a
// call whose constant arguments take one runs the callback on the
// caller's goroutine.

func TestBatchOfNoneOrOneRunsOnTheCaller(t *testing.T) {
	batchlike.Each(0, func(i int) { t.Fatal("never called") })
	batchlike.Each(1, func(i int) { require.Equal(t, 0, i) })
}

func TestSequentialBatchRunsOnTheCaller(t *testing.T) {
	batchlike.EachMaybe(3, true, func(i int) { t.FailNow() })
}

func TestBatchOfSeveralRunsOnGoroutines(t *testing.T) {
	batchlike.Each(3, func(i int) {
		if i > 3 {
			t.Fatal(i) // want `t.Fatal is called on a goroutine started by batchlike.Each at line 26`
		}
	})
}

func TestBatchOfUnknownSizeRunsOnGoroutines(t *testing.T) {
	n := len(t.Name())
	batchlike.Each(n, func(i int) {
		require.Equal(t, n, n+i) // want `require.Equal is called on a goroutine started by batchlike.Each at line 35`
	})
}
