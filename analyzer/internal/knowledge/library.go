package knowledge

import (
	"go/build"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// HandlerArg returns the index of the argument that fn serves as an HTTP
// handler, on goroutines of the server's own: httptest.NewServer(h),
// http.Serve(ln, h), http.ListenAndServe(addr, h).
func HandlerArg(fn *types.Func) (int, bool) {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return 0, false
	}
	i, ok := handlerArgs[fn.Pkg().Path()+"."+fn.Name()]
	return i, ok
}

var handlerArgs = map[string]int{
	"net/http/httptest.NewServer":          0,
	"net/http/httptest.NewUnstartedServer": 0,
	"net/http/httptest.NewTLSServer":       0,
	"net/http/httptest.NewTestServer":      1, // Go 1.27: NewTestServer(t, h)
	"net/http.Serve":                       1,
	"net/http.ServeTLS":                    1,
	"net/http.ListenAndServe":              1,
	"net/http.ListenAndServeTLS":           3,
	"net/http/fcgi.Serve":                  1, // each request on a goroutine of its own
}

// RegistersHandler reports whether fn is net/http's Handle or HandleFunc,
// a function (on the default mux) or a method of a mux.
func RegistersHandler(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "net/http" && (fn.Name() == "Handle" || fn.Name() == "HandleFunc")
}

// Releases reports whether fn releases something that other goroutines
// wait for: unlocking, marking a WaitGroup done, signalling a condition,
// releasing a semaphore.
func Releases(fn *types.Func) bool {
	return IsMethod(fn, "sync", "Mutex", "Unlock") || IsMethod(fn, "sync", "Locker", "Unlock") || IsMethod(fn, "sync", "RWMutex", "Unlock", "RUnlock") ||
		IsMethod(fn, "sync", "WaitGroup", "Done") || IsMethod(fn, "sync", "Cond", "Signal", "Broadcast") ||
		IsMethod(fn, "golang.org/x/sync/semaphore", "Weighted", "Release")
}

// OnlyReports reports whether fn only prints or logs what it is given:
// fmt.Print*, log.Print* (and log.Fatal*, log.Panic*, which end the
// program after printing), slog's Debug, Info, Warn, Error and Log.
func OnlyReports(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "fmt":
		return strings.HasPrefix(name, "Print")
	case "log":
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic") || name == "Output"
	case "log/slog":
		for _, prefix := range []string{"Debug", "Info", "Warn", "Error", "Log"} {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		}
	}
	return false
}

// IsTimerFunc reports whether fn returns a channel that a timer sends on:
// time.After, time.Tick. Receiving from it is sleeping.
func IsTimerFunc(fn *types.Func) bool {
	return IsFunc(fn, "time", "After", "Tick")
}

// IsRunConstant reports whether fn is testing.Short or testing.Verbose,
// whose result is the same for a whole test run.
func IsRunConstant(fn *types.Func) bool {
	return IsFunc(fn, "testing", "Short", "Verbose")
}

// IsStd reports whether path is a standard library package's: its first
// element has no dot, and GOROOT has it. The standard library's own waits
// (a request waiting for its connection) are no readiness signal for a
// test's server.
func IsStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") {
		return false
	}
	if std, ok := stdCache.Load(path); ok {
		return std.(bool)
	}
	_, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	stdCache.Store(path, err == nil)
	return err == nil
}

var stdCache sync.Map // package path -> bool; safe for analyzers running concurrently

// IsSignalNotify reports whether fn is signal.Notify, whose channel
// receives the process's signals: receiving from it waits for a signal,
// not for a server.
func IsSignalNotify(fn *types.Func) bool {
	return IsFunc(fn, "os/signal", "Notify")
}

// IsContextDone reports whether fn is the Done method of a context: its
// channel is closed when the context ends, never when a server is ready.
func IsContextDone(fn *types.Func) bool {
	return fn != nil && fn.Name() == "Done" && fn.Signature().Params().Len() == 0 && InPackage(fn, "context")
}

// KnownWithoutCode reports whether what the analyzers need of package pkg
// is known from the tables here, so that its code need not be read: a
// standard library package that does not import testing (those that do,
// internal/testenv among them, hold test helpers). Reading every
// dependency's code is most of what testraces would cost; the standard
// library's behaviour that matters (listening, dialing, running callbacks
// on goroutines) is tabled above.
//
// net/http/httptest imports testing from Go 1.27 on (NewTestServer takes
// a testing.TB) but holds no test helper the tables miss: its servers are
// tabled (behaviours, handlerArgs, testserver.go). Read, its Start and
// StartTLS would be summarised as binding a listener, which
// NewUnstartedServer already did, and a helper that starts such a server
// and then a goroutine that listens would look like one that binds. Its
// own tests (the package with its _test.go files, at the same path) are
// code to check.
//
// The testing package is known too (testmodel knows what its methods do,
// the tables what M.Run and B.RunParallel do); read, it costs more than
// any other dependency of a test binary, twice where os is compiled with
// its tests. Its own tests are code to check.
func KnownWithoutCode(pkg *types.Package) bool {
	if !IsStd(pkg.Path()) {
		return false
	}
	if pkg.Path() == HTTPTest || pkg.Path() == "testing" {
		return !holdsTests(pkg)
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == "testing" {
			return false
		}
	}
	return true
}

// holdsTests reports whether pkg declares a test function (TestX(t
// *testing.T), not testing.Testing()): it is a package with its _test.go
// files.
func holdsTests(pkg *types.Package) bool {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		fn, ok := scope.Lookup(name).(*types.Func)
		if !ok || !strings.HasPrefix(name, "Test") || fn.Signature().Params().Len() != 1 {
			continue
		}
		if ptr, ok := fn.Signature().Params().At(0).Type().(*types.Pointer); ok && IsType(ptr.Elem(), "testing", "T") {
			return true
		}
	}
	return false
}
