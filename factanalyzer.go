package testraces

import (
	"fmt"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
)

// A driver runs each analyzer that declares facts on every package the
// analysed ones import, as an action of its own, and an action costs its
// scheduling and fact bookkeeping even where the analyzer has nothing to
// do: over net/http, net and os with their ~300 dependencies, 7.6 ms of
// CPU per fact-declaring analyzer. testraces' analyzers declare seven fact
// types between them, which made seven actions (eight with the function
// index they require) on each dependency where one does the same work.
//
// withOneFactAnalyzer therefore runs every analyzer that declares facts,
// with what it requires, inside one analyzer that declares all their fact
// types: on each package it runs them in order, each on a pass of its own
// (its own fixed point, facts and result), each analyzer unchanged. The
// analyzers drivers see are copies that declare no facts and require that
// one: they run on the analysed packages only, and report what their
// analyzer found there. The code keeps one fact family per analyzer; only
// what a driver schedules changes.

// factResults is what the facts analyzer computed on one package: for each
// analyzer it ran, its result, diagnostics or error. It is written only
// while the facts analyzer's pass runs.
type factResults struct {
	results     map[*analysis.Analyzer]any
	diagnostics map[*analysis.Analyzer][]analysis.Diagnostic
	errs        map[*analysis.Analyzer]error
}

// withOneFactAnalyzer returns analyzers that report what the given ones
// report, where those that declare facts, and all they require, run within
// one analyzer (see above).
func withOneFactAnalyzer(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	order := factClosure(analyzers)
	facts := &analysis.Analyzer{
		Name:       "testracesfacts",
		Doc:        "compute the facts of every testraces analyzer in one action per package (required by each of them)",
		URL:        "https://github.com/testraces/testraces",
		ResultType: reflect.TypeFor[*factResults](),
		Run:        func(pass *analysis.Pass) (any, error) { return runInOrder(pass, order), nil },
	}
	for _, a := range order {
		facts.FactTypes = append(facts.FactTypes, a.FactTypes...)
	}
	shown := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		shown[i] = reportingFrom(facts, a, order)
	}
	return shown
}

// factClosure returns the analyzers that declare facts, and those they
// require, each after those it requires.
func factClosure(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	for _, a := range analyzers {
		if len(a.FactTypes) > 0 {
			visit(a)
		}
	}
	return order
}

// reportingFrom returns the copy of a that drivers run: one that declares
// no facts and requires facts, which ran the analyzers in within. When a
// is one of them, the copy reports a's diagnostics from there; otherwise
// it runs a itself, with the results of what a requires.
func reportingFrom(facts, a *analysis.Analyzer, within []*analysis.Analyzer) *analysis.Analyzer {
	shown := *a
	shown.FactTypes = nil
	shown.Requires = []*analysis.Analyzer{facts}
	if slices.Contains(within, a) {
		shown.Run = func(pass *analysis.Pass) (any, error) {
			r := pass.ResultOf[facts].(*factResults)
			if err := r.errs[a]; err != nil {
				return nil, err
			}
			for _, d := range r.diagnostics[a] {
				pass.Report(d)
			}
			return r.results[a], nil
		}
		return &shown
	}
	for _, req := range a.Requires {
		if !slices.Contains(within, req) {
			shown.Requires = append(shown.Requires, req)
		}
	}
	shown.Run = func(pass *analysis.Pass) (any, error) {
		r := pass.ResultOf[facts].(*factResults)
		if err := r.failedRequirement(a); err != nil {
			return nil, err
		}
		return a.Run(r.passFor(pass, a))
	}
	return &shown
}

// runInOrder runs the analyzers of order, each after those it requires,
// on pass's package.
func runInOrder(pass *analysis.Pass, order []*analysis.Analyzer) *factResults {
	r := &factResults{
		results:     make(map[*analysis.Analyzer]any, len(order)),
		diagnostics: make(map[*analysis.Analyzer][]analysis.Diagnostic),
		errs:        make(map[*analysis.Analyzer]error),
	}
	for _, a := range order {
		if err := r.failedRequirement(a); err != nil {
			r.errs[a] = err
			continue
		}
		sub := r.passFor(pass, a)
		sub.Report = func(d analysis.Diagnostic) { r.diagnostics[a] = append(r.diagnostics[a], d) }
		res, err := a.Run(sub)
		if err != nil {
			r.errs[a] = err
			continue
		}
		r.results[a] = res
	}
	return r
}

// failedRequirement returns an error if an analyzer that a requires
// failed: a driver does not run an analyzer whose requirement failed.
func (r *factResults) failedRequirement(a *analysis.Analyzer) error {
	for _, req := range a.Requires {
		if err := r.errs[req]; err != nil {
			return fmt.Errorf("%s failed: %w", req.Name, err)
		}
	}
	return nil
}

// passFor returns a copy of pass for a, whose ResultOf holds the results
// of what a requires: from r for the analyzers that ran within the facts
// analyzer, from pass for the others.
func (r *factResults) passFor(pass *analysis.Pass, a *analysis.Analyzer) *analysis.Pass {
	sub := *pass
	sub.Analyzer = a
	sub.ResultOf = make(map[*analysis.Analyzer]any, len(a.Requires))
	for _, req := range a.Requires {
		if res, ok := r.results[req]; ok {
			sub.ResultOf[req] = res
		} else {
			sub.ResultOf[req] = pass.ResultOf[req]
		}
	}
	return &sub
}
