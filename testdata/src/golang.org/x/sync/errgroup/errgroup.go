// Package errgroup is a stub of golang.org/x/sync/errgroup, for tests.
package errgroup

import (
	"context"
	"sync"
)

// A Group runs functions on goroutines of their own.
type Group struct {
	wg  sync.WaitGroup
	err error
}

// Go runs f on a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
		}
	}()
}

// TryGo runs f on a new goroutine.
func (g *Group) TryGo(f func() error) bool {
	g.Go(f)
	return true
}

// Wait waits for every function to return.
func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}

// WithContext returns a new Group and a context derived from ctx.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	_ = cancel
	return &Group{}, ctx
}
