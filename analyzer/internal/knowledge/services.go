package knowledge

import "go/types"

// Services whose methods a server runs: a library keeps a value and,
// later, calls its methods from goroutines of its own. Where the library's
// own code shows it (a field of an interface type whose methods a
// connection goroutine calls), the summaries follow it; these are the
// libraries whose code does not: gRPC keeps a service implementation as
// an `any` and calls its methods through handler functions of the
// generated code, which type-assert it back.

// A Keep says that a function keeps its operand Operand in the state of
// its operand Into (the receiver is operand 0; IntoResult: in what it
// returns; -1: elsewhere), as a callback of Kind: what runs callbacks of
// that kind runs the kept value, or its methods.
type Keep struct {
	Operand, Into int
	Kind          string
}

// IntoResult is the Into of a value kept in what the function returns.
const IntoResult = -2

// grpcHandler is the kind of the handlers in a gRPC service description;
// running them runs the methods of the implementation registered with it.
const grpcHandler = "google.golang.org/grpc.MethodHandler"

// httpHandler is the kind of net/http's handlers. The standard library's
// interfaces are no kinds in its own code (see CallbackInterface), so
// its servers are known here: a helper of any package that hands a
// handler to one of them keeps it, and runs it if it starts the server.
const httpHandler = "net/http.Handler"

var keeps = table[Keep]{
	"google.golang.org/grpc": {
		"Server.RegisterService":           {Operand: 2, Into: 0, Kind: grpcHandler},
		"ServiceRegistrar.RegisterService": {Operand: 2, Into: 0, Kind: grpcHandler},
	},
	"net/http/httptest": {
		"NewServer":          {Operand: 0, Into: IntoResult, Kind: httpHandler},
		"NewTLSServer":       {Operand: 0, Into: IntoResult, Kind: httpHandler},
		"NewUnstartedServer": {Operand: 0, Into: IntoResult, Kind: httpHandler},
	},
	"net/http": {
		"ServeMux.Handle":     {Operand: 2, Into: 0, Kind: httpHandler},
		"ServeMux.HandleFunc": {Operand: 2, Into: 0, Kind: httpHandler},
		"Serve":               {Operand: 1, Into: -1, Kind: httpHandler},
		"ServeTLS":            {Operand: 1, Into: -1, Kind: httpHandler},
		"ListenAndServe":      {Operand: 1, Into: -1, Kind: httpHandler},
		"ListenAndServeTLS":   {Operand: 3, Into: -1, Kind: httpHandler},
	},
}

var keepIndex = indexed(keeps)

// Keeps returns what fn keeps, known without its code.
func Keeps(fn *types.Func) (Keep, bool) {
	if fn == nil || fn.Pkg() == nil {
		return Keep{}, false
	}
	k, _ := keepIndex.lookup(fn)
	return k, k.Kind != ""
}

// runsKept maps functions to the kinds of kept callbacks they run on
// goroutines of their own.
var runsKept = table[string]{
	"google.golang.org/grpc": {"Server.Serve": grpcHandler},
	"net/http/httptest": {
		"NewServer": httpHandler, "NewTLSServer": httpHandler,
		"Server.Start": httpHandler, "Server.StartTLS": httpHandler,
	},
	"net/http": {
		"Serve": httpHandler, "ServeTLS": httpHandler,
		"ListenAndServe": httpHandler, "ListenAndServeTLS": httpHandler,
		"Server.Serve": httpHandler, "Server.ServeTLS": httpHandler,
		"Server.ListenAndServe": httpHandler, "Server.ListenAndServeTLS": httpHandler,
	},
}

var runsKeptIndex = indexed(runsKept)

// RunsKept returns the kind of kept callbacks fn runs on goroutines of its
// own, known without its code; "" if none is known.
func RunsKept(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	k, _ := runsKeptIndex.lookup(fn)
	return k
}

// KeepsAnyValue reports whether kind is one under which a library keeps
// a value of any type (gRPC's service implementations): an interface
// parameter handed on to it is kept under that kind.
func KeepsAnyValue(kind string) bool { return kind == grpcHandler }

// CallbackInterface reports whether values of the standard library's
// interface type t are callbacks that a server keeps and runs: an
// http.Handler. Other packages' interfaces are all followed; the
// standard library's are too many (a context, a writer, an error are kept
// everywhere) for what they would find.
func CallbackInterface(t types.Type) bool {
	return IsType(t, "net/http", "Handler")
}
