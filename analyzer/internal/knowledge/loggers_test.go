package knowledge_test

import (
	"go/types"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/knowledge"
)

// TestLoggers checks the loggers' tables on the standard library's
// loggers: which functions wrap a writer, which write to one, and which
// methods write with a logger.
func TestLoggers(t *testing.T) {
	pkgs := knowledge.LoadTypes(t, "log", "log/slog", "fmt", "io", "strings")
	for name, want := range map[string]bool{
		"log.New": true, "log/slog.New": true, "log/slog.NewTextHandler": true, "log/slog.NewJSONHandler": true,
		"fmt.Sprintf": false, "strings.Repeat": false,
	} {
		if got := knowledge.WrapsLogger(lookup(t, pkgs, name)); got != want {
			t.Errorf("WrapsLogger(%s) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{
		"fmt.Fprintf": true, "fmt.Fprintln": true, "io.WriteString": true, "fmt.Sprintf": false, "fmt.Printf": false,
	} {
		if got := knowledge.WritesTo(lookup(t, pkgs, name)); got != want {
			t.Errorf("WritesTo(%s) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{
		"log/slog.Logger.Info": true, "log/slog.Logger.Error": true, "log.Logger.Printf": true,
		"log/slog.Logger.With": false, "log/slog.Logger.WithGroup": false, "log/slog.Logger.Enabled": false,
		"log/slog.Logger.Handler": false, "log.Logger.Writer": false, "log.Logger.SetPrefix": false,
	} {
		if got := knowledge.LoggerMethodWrites(lookup(t, pkgs, name)); got != want {
			t.Errorf("LoggerMethodWrites(%s) = %v, want %v", name, got, want)
		}
	}
	if !knowledge.IsLoggerType(types.NewPointer(pkgs["log/slog"].Scope().Lookup("Logger").Type())) {
		t.Error("IsLoggerType(*slog.Logger) = false")
	}
	if knowledge.IsLoggerType(pkgs["strings"].Scope().Lookup("Builder").Type()) {
		t.Error("IsLoggerType(strings.Builder) = true")
	}
}
