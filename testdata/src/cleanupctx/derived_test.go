package cleanupctx

import (
	"context"
	"testing"
	"time"

	"cleanupctx/store"
)

// A cleanup that derives its own context from a cancelled one is reported
// at that derivation, the expression to change; the uses are its related
// positions.

func TestStopContextFromTestContextInCleanup(t *testing.T) {
	c := store.Start(t.Context())
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(t.Context(), time.Second) // want `^t\.Context\(\) is cancelled before the cleanup runs \(it is cancelled just before Cleanup functions are called\), so c\.Terminate fails with context canceled on stopCtx, which comes from it; pass context\.WithoutCancel\(t\.Context\(\)\)$`
		defer cancel()
		_ = c.Terminate(stopCtx)
	})
}

func TestStopContextDetachedInCleanup(t *testing.T) {
	c := store.Start(t.Context())
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Second)
		defer cancel()
		_ = c.Terminate(stopCtx)
	})
}

func TestStopContextFromBackgroundInCleanup(t *testing.T) {
	c := store.Start(t.Context())
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = c.Terminate(stopCtx)
	})
}

func TestDerivedInCleanup(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		dctx, cancel := context.WithTimeout(ctx, time.Second) // want `^ctx is cancelled before the cleanup runs \(t\.Context\(\) is cancelled just before Cleanup functions are called\), so db\.Drop fails with context canceled on dctx, which comes from it; pass context\.WithoutCancel\(ctx\)$`
		defer cancel()
		_ = db.Drop(dctx, "s")
	})
}

func TestDerivedDetachedInCleanup(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = db.Drop(dctx, "s")
	})
}

// One derivation used twice is one finding.
func TestTwoUsesOneEntry(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		c := ctx // want `^ctx is cancelled .*, so db\.Drop fails with context canceled on c, which comes from it; pass context\.WithoutCancel\(ctx\)$`
		_ = db.Drop(c, "a")
		_ = db.Drop(c, "b")
	})
}

func TestTwoCalleesOneDerivation(t *testing.T) {
	c := store.Start(t.Context())
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(t.Context(), time.Second) // want `so c\.Terminate and db\.Drop fail with context canceled on stopCtx`
		defer cancel()
		_ = c.Terminate(stopCtx)
		_ = db.Drop(stopCtx, "s")
	})
}

func TestDerivedFromDeferredCancelInCleanup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Cleanup(func() {
		vctx := context.WithValue(ctx, key{}, "v") // want `^ctx is cancelled before the cleanup runs \(cancel is deferred in TestDerivedFromDeferredCancelInCleanup, which returns before its cleanups run\), so drop fails with context canceled on vctx`
		_ = drop(vctx)
	})
}

// The derivation on the line of its use is reported at the use, which
// shows it.
func TestDerivedOnTheLineOfItsUse(t *testing.T) {
	t.Cleanup(func() {
		_ = drop(context.WithValue(t.Context(), key{}, "v")) // want `^context\.WithValue\(t\.Context\(\), key\{\}, "v"\) is cancelled before the cleanup runs .* pass context\.WithoutCancel\(t\.Context\(\)\)$`
	})
}

// A method value registered as the cleanup: reported, with no fix (the
// method may run elsewhere too).
type service struct {
	ctx context.Context
	db  *store.DB
}

func (s *service) stop() {
	sctx, cancel := context.WithTimeout(s.ctx, time.Second) // want `^s\.ctx is cancelled before the cleanup runs .*, so s\.db\.Drop fails with context canceled on sctx`
	defer cancel()
	_ = s.db.Drop(sctx, "s")
}

func TestDerivedInMethodCleanup(t *testing.T) {
	s := &service{ctx: t.Context()}
	t.Cleanup(s.stop)
}
