package testraces_test

import (
	"os"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	_ "github.com/testraces/testraces"
)

func TestPluginSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin("testraces")
	if err != nil {
		t.Fatal(err)
	}
	names := func(settings any) ([]string, error) {
		p, err := newPlugin(settings)
		if err != nil {
			return nil, err
		}
		if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
			t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
		}
		analyzers, err := p.BuildAnalyzers()
		var names []string
		for _, a := range analyzers {
			names = append(names, a.Name)
		}
		return names, err
	}

	all, err := names(nil)
	if err != nil || strings.Join(all, ",") != "aftertest,cleanupctx,deferparallel,failnow,fixedport,serverready" {
		t.Errorf("no settings: %v, %v; want every analyzer", all, err)
	}
	some, err := names(map[string]any{"failnow": map[string]any{"enabled": false}})
	if err != nil || strings.Join(some, ",") != "aftertest,cleanupctx,deferparallel,fixedport,serverready" {
		t.Errorf("failnow disabled: %v, %v", some, err)
	}
	// A disabled analyzer's facts are not computed: with cleanupctx
	// alone, only its one fact type is declared.
	p, err := newPlugin(map[string]any{
		"aftertest": off, "deferparallel": off, "failnow": off, "fixedport": off, "serverready": off,
	})
	if err != nil {
		t.Fatal(err)
	}
	only, err := p.BuildAnalyzers()
	if err != nil || len(only) != 1 || only[0].Name != "cleanupctx" {
		t.Fatalf("cleanupctx alone: %v, %v", only, err)
	}
	if n := factTypes(only); n != 1 {
		t.Errorf("cleanupctx alone: %d fact types declared, want 1", n)
	}
	for _, bad := range []map[string]any{
		{"failnow": map[string]any{"enable": true}},
		{"fail-now": true},
		{"failnow": map[string]any{"enabled": "yes"}},
	} {
		if _, err := names(bad); err == nil || !strings.Contains(err.Error(), "testraces: invalid settings") {
			t.Errorf("settings %v: error %v, want one naming the bad setting", bad, err)
		}
	}
	if _, err := names(map[string]any{"fail-now": true}); err == nil || !strings.Contains(err.Error(), `"fail-now"`) {
		t.Errorf("unknown analyzer: error %v does not name it", err)
	}
}

// off is the settings of a disabled analyzer.
var off = map[string]any{"enabled": false}

// factTypes counts the fact types that analyzers, and what they require
// at any depth, declare.
func factTypes(analyzers []*analysis.Analyzer) int {
	n := 0
	for _, a := range withRequirements(analyzers) {
		n += len(a.FactTypes)
	}
	return n
}

// TestReadmeConfig checks that the golangci-lint configuration the README
// shows is .golangci.example.yml, which the golangci-lint test runs.
func TestReadmeConfig(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(".golangci.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(example), "\n") {
		if !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	config := strings.TrimSpace(strings.Join(lines, "\n"))
	if !strings.Contains(string(readme), "```yaml\n"+config+"\n```") {
		t.Errorf("README.md does not show .golangci.example.yml as it is:\n%s", config)
	}

	// The efm-langserver configuration, indented in a list item.
	efm := strings.ReplaceAll(efmConfig, "CUSTOM_GCL", "/path/to/custom-gcl")
	var indented []string
	for _, line := range strings.Split(strings.TrimSpace(efm), "\n") {
		indented = append(indented, "  "+line)
	}
	if !strings.Contains(string(readme), "  ```yaml\n"+strings.Join(indented, "\n")+"\n  ```") {
		t.Errorf("README.md does not show the efm-langserver configuration the editor test uses:\n%s", efm)
	}
}
