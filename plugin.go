package testraces

import (
	"fmt"
	"path/filepath"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

// The golangci-lint module plugin: build golangci-lint with this module
// (see README.md) and enable the "testraces" custom linter.
func init() {
	register.Plugin("testraces", New)
}

// Settings are the plugin's settings in .golangci.yml
// (linters.settings.custom.testraces.settings): one entry per analyzer,
// all enabled by default.
//
//	settings:
//	  failnow:
//	    enabled: false
type Settings struct {
	Aftertest     *AnalyzerSettings `json:"aftertest"`
	Cleanupctx    *AnalyzerSettings `json:"cleanupctx"`
	Deferparallel *AnalyzerSettings `json:"deferparallel"`
	Failnow       *AnalyzerSettings `json:"failnow"`
	Fixedport     *AnalyzerSettings `json:"fixedport"`
	Serverready   *AnalyzerSettings `json:"serverready"`
}

// AnalyzerSettings are the settings of one analyzer.
type AnalyzerSettings struct {
	Enabled *bool `json:"enabled"`
}

type plugin struct {
	analyzers []*analysis.Analyzer
}

// New returns the plugin configured by settings, or an error that names
// the setting that is wrong: an invalid setting fails the run.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("testraces: invalid settings: %w", err)
	}
	byName := map[string]*AnalyzerSettings{
		"aftertest":     s.Aftertest,
		"cleanupctx":    s.Cleanupctx,
		"deferparallel": s.Deferparallel,
		"failnow":       s.Failnow,
		"fixedport":     s.Fixedport,
		"serverready":   s.Serverready,
	}
	var enabled []*analysis.Analyzer
	for _, a := range analyzers() {
		as, ok := byName[a.Name]
		if !ok {
			return nil, fmt.Errorf("testraces: analyzer %q has no settings entry", a.Name)
		}
		if as != nil && as.Enabled != nil && !*as.Enabled {
			continue
		}
		enabled = append(enabled, a)
	}
	// The enabled analyzers alone run as drivers run Analyzers: a
	// disabled analyzer's facts are then not computed either.
	p := &plugin{}
	for _, a := range withOneFactAnalyzer(enabled) {
		p.analyzers = append(p.analyzers, foldRelated(a))
	}
	return p, nil
}

func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.analyzers, nil }

func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// foldRelated returns a copy of a whose diagnostics carry their related
// positions in the message instead of as Related: golangci-lint turns each
// Related entry into an issue of its own, which a //nolint comment on the
// diagnostic's line does not silence.
func foldRelated(a *analysis.Analyzer) *analysis.Analyzer {
	folded := *a
	folded.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			for _, r := range d.Related {
				pos := pass.Fset.Position(r.Pos)
				d.Message += fmt.Sprintf(" (%s at %s:%d)", r.Message, filepath.Base(pos.Filename), pos.Line)
			}
			d.Related = nil
			pass.Report(d)
		}
		return a.Run(&p)
	}
	return &folded
}
