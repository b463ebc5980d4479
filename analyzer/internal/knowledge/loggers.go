package knowledge

import (
	"go/types"
	"strings"
)

// How a logger or reporter that a library builds out of a testing value
// reaches the test when it is used.
const (
	// ReportsLog: it writes with t.Log or t.Output (zaptest, testr,
	// ktesting): on a completed test the line goes to a running parent,
	// or the binary panics once every ancestor is done.
	ReportsLog = 1 + iota
	// ReportsFail: it fails the test (gomock's controller calls t.Fatalf
	// on an unexpected call): on a completed test the binary panics.
	ReportsFail
)

// testBound lists the library functions that return a logger or reporter
// bound to the testing value they are given (their first argument): using
// what they return uses the test.
var testBound = table[int]{
	"go.uber.org/zap/zaptest": {
		"NewLogger": ReportsLog, "NewTestingWriter": ReportsLog,
	},
	"github.com/go-logr/logr/testr": {
		"New": ReportsLog, "NewWithOptions": ReportsLog, "NewWithInterface": ReportsLog,
	},
	"k8s.io/klog/v2/ktesting": {
		"NewLogger": ReportsLog, "NewTestContext": ReportsLog,
	},
	"go.uber.org/mock/gomock":       {"NewController": ReportsFail},
	"github.com/golang/mock/gomock": {"NewController": ReportsFail},
}

var testBoundIndex = indexed(testBound)

// TestBound reports whether fn returns a logger or reporter bound to the
// testing value it is given first, and how using it reaches the test
// (ReportsLog, ReportsFail).
func TestBound(fn *types.Func) (int, bool) {
	kind, _ := testBoundIndex.lookup(fn)
	return kind, kind != 0
}

// wrapsLogger lists the library functions that build a logger, handler or
// writer out of what they are given: a writer (t.Output(), an adapter
// whose Write calls t.Log), a sink, a function, an options struct holding
// one. What they return logs where their arguments write.
var wrapsLogger = table[bool]{
	"log":      {"New": true},
	"log/slog": {"New": true, "NewTextHandler": true, "NewJSONHandler": true},
	"github.com/hashicorp/go-hclog": {
		"New": true, "NewInterceptLogger": true, "NewSinkAdapter": true, "FromStandardLogger": true,
	},
	"go.uber.org/zap":               {"New": true},
	"go.uber.org/zap/zapcore":       {"NewCore": true, "AddSync": true, "Lock": true, "NewTee": true},
	"github.com/go-logr/logr":       {"New": true},
	"github.com/go-logr/logr/funcr": {"New": true, "NewJSON": true},
	"github.com/go-logr/zapr":       {"NewLogger": true},
	"k8s.io/klog/v2":                {"NewContext": true},
	"github.com/rs/zerolog":         {"New": true},
}

var wrapsLoggerIndex = indexed(wrapsLogger)

// WrapsLogger reports whether fn builds a logger, handler or writer that
// writes where its arguments do.
func WrapsLogger(fn *types.Func) bool {
	v, _ := wrapsLoggerIndex.lookup(fn)
	return v
}

// loggerPackages are the packages whose types are loggers: a method of
// one of them that returns a value of one of them derives a logger
// (With, Named, Sugar, WithName, WithValues, V) without writing.
var loggerPackages = []string{
	"log", "log/slog", "github.com/hashicorp/go-hclog", "go.uber.org/zap", "go.uber.org/zap/zapcore",
	"github.com/go-logr/logr", "k8s.io/klog/v2", "github.com/rs/zerolog", "github.com/sirupsen/logrus",
	"go.uber.org/mock/gomock", "github.com/golang/mock/gomock",
}

// IsLoggerType reports whether t, or what it points to, is a named type of
// a logging package (or of gomock): its values may be bound to a test.
func IsLoggerType(t types.Type) bool {
	named, ok := types.Unalias(Deref(t)).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	return oneOf(named.Obj().Pkg().Path(), loggerPackages)
}

// InLoggerPackage reports whether fn belongs to a logging package (or
// gomock): what its functions and methods return from a logger is
// derived from it (klog.FromContext(ctx), logger.With(...)).
func InLoggerPackage(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && oneOf(fn.Pkg().Path(), loggerPackages)
}

// silentMethods are the methods of loggers that write nothing: they ask
// about the logger, or flush a writer that a test's logger does not
// buffer, or set expectations (gomock's EXPECT).
var silentMethods = map[string]bool{
	"Enabled": true, "Level": true, "Core": true, "GetSink": true, "Handler": true, "Writer": true,
	"Flags": true, "Prefix": true, "SetPrefix": true, "SetFlags": true, "GetLevel": true, "SetLevel": true,
	"IsTrace": true, "IsDebug": true, "IsInfo": true, "IsWarn": true, "IsError": true, "Name": true,
	"ImpliedArgs": true, "Sync": true, "EXPECT": true, "Finish": true, "GetCallDepth": true,
	"IsZero": true, "V": true, "Check": true, "StandardWriter": true,
}

// LoggerMethodWrites reports whether calling the method name of a logger
// (or a value built from one) may write with it: not its queries, and not
// a method that derives another logger (which is bound in turn).
func LoggerMethodWrites(fn *types.Func) bool {
	if fn == nil || silentMethods[fn.Name()] {
		return false
	}
	res := fn.Signature().Results()
	if res.Len() >= 1 && IsLoggerType(res.At(0).Type()) {
		return false // With, Named, Sugar, WithValues, StandardLogger: derives one
	}
	return !strings.HasPrefix(fn.Name(), "With") && !strings.HasPrefix(fn.Name(), "Named")
}

// IsMockConstructor reports whether fn looks like a mock constructor that
// mockgen generates (NewMockFoo(ctrl)): the mock it returns calls the
// controller's test on an unexpected call.
func IsMockConstructor(fn *types.Func) bool {
	if fn == nil || fn.Signature().Recv() != nil || !strings.HasPrefix(fn.Name(), "NewMock") {
		return false
	}
	params := fn.Signature().Params()
	return params.Len() >= 1 && IsType(params.At(0).Type(), "go.uber.org/mock/gomock", "Controller") ||
		params.Len() >= 1 && IsType(params.At(0).Type(), "github.com/golang/mock/gomock", "Controller")
}

// writesTo lists the library functions that write to the writer they are
// given first: handed a writer bound to a test (t.Output()), they write
// to the test.
var writesTo = table[bool]{
	"fmt": {"Fprint": true, "Fprintf": true, "Fprintln": true},
	"io":  {"WriteString": true, "Copy": true, "CopyN": true, "CopyBuffer": true},
}

var writesToIndex = indexed(writesTo)

// WritesTo reports whether fn writes to the writer it is given first.
func WritesTo(fn *types.Func) bool {
	v, _ := writesToIndex.lookup(fn)
	return v
}
