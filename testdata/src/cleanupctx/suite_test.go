package cleanupctx

import (
	"context"

	"cleanupctx/store"
	"github.com/stretchr/testify/suite"
)

type dbSuite struct {
	suite.Suite
	ctx context.Context
	db  *store.DB
}

func (s *dbSuite) SetupTest() {
	s.ctx = s.T().Context()
	s.db = store.Open(s.ctx)
	s.T().Cleanup(s.dropSchema)
	s.T().Cleanup(func() {
		_ = s.db.Drop(s.ctx, "again") // want `s\.ctx is cancelled before the cleanup runs \(s\.T\(\)\.Context\(\) is cancelled just before`
	})
}

func (s *dbSuite) dropSchema() {
	_ = s.db.Drop(s.ctx, "s") // want `s\.ctx is cancelled before the cleanup runs`
}

type suiteWide struct {
	suite.Suite
	ctx context.Context
	db  *store.DB
}

func (s *suiteWide) SetupSuite() {
	s.ctx = s.T().Context()
}

// The field is set in another method: which test's context it holds is
// not followed.
func (s *suiteWide) TestCleanup() {
	s.T().Cleanup(func() {
		_ = s.db.Drop(s.ctx, "s")
	})
}

// s.T() in the cleanup is evaluated when it runs: testify has restored the
// parent's test by then.
func (s *suiteWide) TestTInCleanup() {
	s.T().Cleanup(func() {
		_ = s.db.Drop(s.T().Context(), "s")
	})
}
