// Package testraces finds the races that make Go tests flaky: teardown
// deferred before parallel subtests run, FailNow off the test's goroutine,
// requests sent before a server listens, cleanups that use a context
// already cancelled, tests that listen on a fixed port, goroutines that
// log to or fail a test after it has completed.
//
// Analyzers returns every analyzer, for drivers; cmd/testraces is the
// command.
package testraces

import (
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/testraces/testraces/analyzer/aftertest"
	"github.com/testraces/testraces/analyzer/cleanupctx"
	"github.com/testraces/testraces/analyzer/deferparallel"
	"github.com/testraces/testraces/analyzer/failnow"
	"github.com/testraces/testraces/analyzer/fixedport"
	"github.com/testraces/testraces/analyzer/serverready"
)

// Analyzers returns every testraces analyzer, in a stable order, as
// drivers should run them: the analyzers that declare facts run within
// one analyzer they all require (see withOneFactAnalyzer). Each call
// returns the same analyzers.
func Analyzers() []*analysis.Analyzer {
	return slices.Clone(forDrivers())
}

// forDrivers is what Analyzers returns, made once: a driver that is given
// the analyzers of two calls must see one analyzer with facts, not two.
var forDrivers = sync.OnceValue(func() []*analysis.Analyzer {
	return withOneFactAnalyzer(analyzers())
})

// analyzers returns every testraces analyzer as its package declares it.
func analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		aftertest.Analyzer,
		cleanupctx.Analyzer,
		deferparallel.Analyzer,
		failnow.Analyzer,
		fixedport.Analyzer,
		serverready.Analyzer,
	}
}
