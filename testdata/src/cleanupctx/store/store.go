// Package store is a stub of a database and a container API whose calls
// take a context, for the cleanupctx tests.
package store

import "context"

// DB is a database.
type DB struct{}

// Open opens a database.
func Open(ctx context.Context) *DB { return &DB{} }

// Drop drops a schema.
func (db *DB) Drop(ctx context.Context, schema string) error { return ctx.Err() }

// Close closes the database.
func (db *DB) Close() error { return nil }

// Container is a container.
type Container struct{}

// Start starts a container.
func Start(ctx context.Context) *Container { return &Container{} }

// Terminate stops and removes the container.
func (c *Container) Terminate(ctx context.Context) error { return ctx.Err() }

// Stop stops the container; it needs no context.
func (c *Container) Stop(_ context.Context) error { return nil }
