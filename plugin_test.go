package testraces_test

import (
	"os"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

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
