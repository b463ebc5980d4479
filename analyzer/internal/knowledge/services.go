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
// its operand Into (the receiver is operand 0), as a callback of Kind:
// what runs callbacks of that kind runs the kept value's methods.
type Keep struct {
	Operand, Into int
	Kind          string
}

// grpcHandler is the kind of the handlers in a gRPC service description;
// running them runs the methods of the implementation registered with it.
const grpcHandler = "google.golang.org/grpc.MethodHandler"

var keeps = table[Keep]{
	"google.golang.org/grpc": {
		"Server.RegisterService":           {Operand: 2, Into: 0, Kind: grpcHandler},
		"ServiceRegistrar.RegisterService": {Operand: 2, Into: 0, Kind: grpcHandler},
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

// CallbackInterface reports whether values of the standard library's
// interface type t are callbacks that a server keeps and runs: an
// http.Handler. Other packages' interfaces are all followed; the
// standard library's are too many (a context, a writer, an error are kept
// everywhere) for what they would find.
func CallbackInterface(t types.Type) bool {
	return IsType(t, "net/http", "Handler")
}
