package failnow

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"
	"golang.org/x/sync/errgroup"
)

func TestRequireInGoroutine(t *testing.T) {
	var err error
	go func() {
		require.NoError(t, err)     // want `require.NoError is called on a goroutine .* use assert.NoError and return`
		require.Equal(t, 1, 2)      // want `require.Equal is called on a goroutine`
		require.New(t).NoError(err) // want `require.New\(t\).NoError is called on a goroutine .* use the assert form of NoError and return`
	}()
}

func TestRequireInErrgroup(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error {
		err := work()
		require.NoError(t, err) // want `require.NoError is called on a goroutine started by g.Go`
		return nil
	})
	g.Wait()
}

type mySuite struct{ suite.Suite }

func (s *mySuite) TestInGoroutine() {
	go func() {
		s.Require().NoError(work()) // want `s.Require\(\).NoError is called on a goroutine`
		s.T().Fatal("x")            // want `s.T\(\).Fatal is called on a goroutine`
	}()
}

func TestRequireAssertionsInVariable(t *testing.T) {
	r := require.New(t)
	var err error
	go func() {
		r.NoError(err) // want `r.NoError is called on a goroutine`
	}()
}

func BenchmarkRequireOnParentInSubBenchmark(b *testing.B) {
	b.Run("sub", func(b2 *testing.B) {
		require.Equal(b, 1, b2.N) // want `require.Equal is called inside sub-benchmark "sub" \(line \d+\), which runs on its own goroutine, on b, the testing value of an enclosing test or benchmark`
		require.Equal(b2, 1, b2.N)
	})
}
