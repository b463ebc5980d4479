package knowledge

import (
	"go/types"
	"strings"
)

// Behaviour is what a call of a library function does, as far as the
// analyzers care, known without reading its code.
type Behaviour struct {
	// Readiness facts. When any is set the function's own code says
	// nothing more about readiness: a request waits for its own
	// connection, which is no readiness signal for a test's server.
	Listens   bool // creates a network listener: net.Listen, http.ListenAndServe
	Binds     bool // returns with the listener it created open: net.Listen, httptest.NewServer
	Dials     bool // connects to a server: http.Get, client.Do, net.Dial
	Waits     bool // waits for other goroutines: wg.Wait, testify's Eventually
	Sleeps    bool // time.Sleep: waits, but for nothing in particular
	RunsTests bool // (*testing.M).Run: runs the tests, which send the requests
	// Locks and Unlocks: a mutex's Lock, which waits when the mutex is
	// held (a test that locks a mutex twice waits for whoever unlocks
	// it: a readiness latch), and its Unlock.
	Locks, Unlocks bool

	// Async holds the operands (the receiver, if any, is 0) that the
	// function runs on another goroutine: errgroup's Go, time.AfterFunc.
	Async uint64
	// FailNowSafe holds the operands that the function runs on goroutines
	// of its own on which the testing package supports FailNow by design:
	// b.RunParallel's body (its workers end on runtime.Goexit, and the
	// benchmark checks Failed after them). They count as run by the
	// caller, not asynchronously.
	FailNowSafe uint64
	// FailsNow holds the operands that reach a testing value whose test
	// the function stops: testify's require functions and methods.
	FailsNow uint64
	// SetsProcessState: the function changes state shared by every
	// goroutine of the process (os.Setenv, log.SetOutput).
	SetsProcessState bool
}

// KnowsReadiness reports whether b says what a call does to readiness, so
// that the function's own code is not read for it.
func (b Behaviour) KnowsReadiness() bool {
	return b.Listens || b.Dials || b.Waits || b.Sleeps || b.RunsTests
}

var (
	listens   = Behaviour{Listens: true}              // and serves, until the server stops
	binds     = Behaviour{Listens: true, Binds: true} // and returns the open listener
	dials     = Behaviour{Dials: true}
	waits     = Behaviour{Waits: true}
	sleeps    = Behaviour{Sleeps: true}
	runsTests = Behaviour{RunsTests: true}
	setsState = Behaviour{SetsProcessState: true}
	async1    = Behaviour{Async: 1 << 1} // g.Go(f), time.AfterFunc(d, f): operand 1
	failsNow0 = Behaviour{FailsNow: 1}   // t.TempDir(): its receiver's test
)

// behaviours maps a package path, then "Name" or "Type.Name", to what a
// call does.
var behaviours = table[Behaviour]{
	"net": {
		"Listen": binds, "ListenTCP": binds, "ListenUnix": binds, "ListenConfig.Listen": binds,
		"Dial": dials, "DialTimeout": dials, "DialTCP": dials, "DialUnix": dials,
		"Dialer.Dial": dials, "Dialer.DialContext": dials,
	},
	"net/textproto":   {"Dial": dials},
	"net/smtp":        {"Dial": dials},
	"net/rpc":         {"Dial": dials, "DialHTTP": dials, "DialHTTPPath": dials},
	"net/rpc/jsonrpc": {"Dial": dials},
	"log/syslog":      {"Dial": dials, "New": dials},
	"crypto/tls": {
		"Listen": binds,
		"Dial":   dials, "DialWithDialer": dials, "Dialer.Dial": dials, "Dialer.DialContext": dials,
	},
	"net/http": {
		"ListenAndServe": listens, "ListenAndServeTLS": listens,
		"Server.ListenAndServe": listens, "Server.ListenAndServeTLS": listens,
		"Get": dials, "Head": dials, "Post": dials, "PostForm": dials,
		"Client.Do": dials, "Client.Get": dials, "Client.Head": dials, "Client.Post": dials, "Client.PostForm": dials,
		"Transport.RoundTrip": dials, "RoundTripper.RoundTrip": dials,
	},
	// QUIC servers listen on UDP: known here because the packet
	// sockets they bind are also what QUIC clients bind to dial, and are
	// not taken as listens by themselves.
	"github.com/quic-go/quic-go": {"ListenAddr": binds, "ListenAddrEarly": binds},
	"github.com/quic-go/quic-go/http3": {
		"ListenAndServeQUIC": listens, "ListenAndServeTLS": listens,
		"Server.ListenAndServe": listens, "Server.ListenAndServeTLS": listens,
	},
	"net/http/httptest": {
		"NewServer": binds, "NewTLSServer": binds, "NewUnstartedServer": binds,
	},
	"sync": {
		"WaitGroup.Wait": waits, "Cond.Wait": waits,
		"Mutex.Lock": {Locks: true}, "RWMutex.Lock": {Locks: true},
		"Mutex.Unlock": {Unlocks: true}, "RWMutex.Unlock": {Unlocks: true},
		"WaitGroup.Go": async1,
	},
	"time": {
		"Sleep":     sleeps,
		"AfterFunc": async1,
	},
	"context": {
		"AfterFunc": async1,
	},
	// The testing package's code is not read (KnownWithoutCode): what its
	// code would say is here. Its methods that call Fatal when they fail
	// stop the test of their receiver, also through testing.TB; Run,
	// Parallel, Fuzz and RunParallel wait for other goroutines.
	"testing": {
		"M.Run":         runsTests,
		"B.RunParallel": {FailNowSafe: 1 << 1, FailsNow: 1, Waits: true},
		"F.Fuzz":        {FailsNow: 1, Waits: true},
		"T.Run":         waits, "T.Parallel": waits, "T.Setenv": failsNow0, "T.Chdir": failsNow0,
		"common.TempDir": failsNow0, "common.ArtifactDir": failsNow0, "common.Setenv": failsNow0, "common.Chdir": failsNow0,
		"common.Fatal": failsNow0, "common.Fatalf": failsNow0, "common.Skip": failsNow0, "common.Skipf": failsNow0,
		"TB.TempDir": failsNow0, "TB.ArtifactDir": failsNow0, "TB.Setenv": failsNow0, "TB.Chdir": failsNow0,
	},
	"golang.org/x/sync/errgroup": {
		"Group.Go": async1, "Group.TryGo": async1,
	},
	"os":            {"Setenv": setsState, "Unsetenv": setsState, "Clearenv": setsState, "Chdir": setsState},
	"syscall":       {"Setenv": setsState, "Unsetenv": setsState, "Clearenv": setsState, "Chdir": setsState},
	"runtime":       {"GOMAXPROCS": setsState, "SetBlockProfileRate": setsState, "SetMutexProfileFraction": setsState, "SetCPUProfileRate": setsState},
	"runtime/debug": {"SetGCPercent": setsState, "SetMaxStack": setsState, "SetMaxThreads": setsState, "SetMemoryLimit": setsState, "SetPanicOnFault": setsState, "SetTraceback": setsState},
	"log":           {"SetOutput": setsState, "SetFlags": setsState, "SetPrefix": setsState},
	"log/slog":      {"SetDefault": setsState, "SetLogLoggerLevel": setsState},
	"flag":          {"Set": setsState},
	"math/rand":     {"Seed": setsState},
}

var behaviourIndex = indexed(behaviours)

// Of returns what a call of fn does, as far as it is known without its
// code; the zero Behaviour for most functions.
func Of(fn *types.Func) Behaviour {
	if fn == nil || fn.Pkg() == nil {
		return Behaviour{}
	}
	if b, ok := behaviourIndex.lookup(fn); ok {
		return b
	}
	if path := fn.Pkg().Path(); strings.Contains(path, "testify") {
		return testify(fn, path)
	}
	return Behaviour{}
}

// testify returns what a function of testify's assert or require does:
// require's functions taking a TestingT first, and every method of
// *require.Assertions, stop the test (their facts may be missing when
// testify was not analysed: vendored, or a driver without facts); the
// Eventually family waits.
func testify(fn *types.Func, path string) Behaviour {
	var b Behaviour
	isRequire := IsTestify(path, TestifyRequire)
	if !isRequire && !IsTestify(path, TestifyAssert) {
		return b
	}
	if strings.HasPrefix(fn.Name(), "Eventually") {
		b.Waits = true
	}
	if !isRequire {
		return b
	}
	sig := fn.Signature()
	if sig.Recv() != nil {
		if receiverName(fn) == "Assertions" {
			b.FailsNow = 1
		}
		return b
	}
	if sig.Params().Len() > 0 && sig.Results().Len() == 0 { // not New
		if named, ok := types.Unalias(sig.Params().At(0).Type()).(*types.Named); ok && named.Obj().Name() == "TestingT" {
			b.FailsNow = 1
		}
	}
	return b
}
