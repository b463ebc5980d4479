package failnow

import (
	"context"
	"net"
	"net/http"
	"testing"

	"childlike"
	"greeterpb"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
)

// Callbacks held as interface values: a gRPC service implementation that
// a server keeps and whose methods it runs on its connection goroutines,
// an http.Handler that a child server keeps and serves each request with
// on a goroutine of its own. The callback is the value; its methods run.

type mockGreeter struct {
	greeterpb.UnimplementedGreeterServer
	t *testing.T
}

func (m *mockGreeter) SayHello(ctx context.Context, in *greeterpb.HelloRequest) (*greeterpb.HelloReply, error) {
	require.Equal(m.t, "gopher", in.Name) // want `require.Equal is called on a goroutine that s.Serve starts at line 35 \(greeterpb.RegisterGreeterServer keeps the callback at line 34 and s.Serve runs it from there\)`
	return &greeterpb.HelloReply{Message: "hi"}, nil
}

func TestGRPCMockServiceRequiresInItsMethod(t *testing.T) {
	lis, _ := net.Listen("tcp", "127.0.0.1:0")
	s := grpc.NewServer()
	greeterpb.RegisterGreeterServer(s, &mockGreeter{t: t})
	go s.Serve(lis)
	defer s.Stop()
	c, _ := grpc.NewClient(lis.Addr().String())
	greeterpb.NewGreeterClient(c).SayHello(context.Background(), &greeterpb.HelloRequest{Name: "gopher"})
}

type reportingGreeter struct {
	greeterpb.UnimplementedGreeterServer
	t *testing.T
}

func (m *reportingGreeter) SayHello(ctx context.Context, in *greeterpb.HelloRequest) (*greeterpb.HelloReply, error) {
	if in.Name != "gopher" {
		m.t.Errorf("name = %q", in.Name) // Errorf is safe on any goroutine
	}
	return &greeterpb.HelloReply{}, nil
}

func TestGRPCServiceThatOnlyReportsErrors(t *testing.T) {
	lis, _ := net.Listen("tcp", "127.0.0.1:0")
	s := grpc.NewServer()
	greeterpb.RegisterGreeterServer(s, &reportingGreeter{t: t})
	go s.Serve(lis)
	defer s.Stop()
}

type directGreeter struct {
	greeterpb.UnimplementedGreeterServer
	t *testing.T
}

func (m *directGreeter) SayHello(ctx context.Context, in *greeterpb.HelloRequest) (*greeterpb.HelloReply, error) {
	require.Equal(m.t, "gopher", in.Name) // only ever called by the test itself
	return &greeterpb.HelloReply{}, nil
}

func TestGRPCServiceMethodCalledByTheTest(t *testing.T) {
	g := &directGreeter{t: t}
	g.SayHello(context.Background(), &greeterpb.HelloRequest{Name: "gopher"})
}

type fatalHandler struct{ t *testing.T }

func (h *fatalHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != "GET" {
		h.t.Fatalf("method %s", r.Method) // want `h.t.Fatalf is called on a goroutine that childlike.Serve starts at line 87 \(it keeps the callback and runs it from there\)`
	}
}

func TestChildServerKeepsAHandlerStruct(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go childlike.Serve(ln, &fatalHandler{t: t})
}

func TestChildServerKeepsAHandlerFunc(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go childlike.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Fatal("unexpected request") // want `t.Fatal is called on a goroutine that childlike.Serve starts at line 93 \(it keeps the callback and runs it from there\)`
	}))
}

type inlineHandler struct{ t *testing.T }

func (h *inlineHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.t.Fatal("handled on the caller's goroutine") // Handle runs it synchronously
}

func TestHandlerRunSynchronouslyByALibrary(t *testing.T) {
	req, _ := http.NewRequest("GET", "/", nil)
	childlike.Handle(&inlineHandler{t: t}, req)
}

type startedHandler struct{ t *testing.T }

func (h *startedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.t.FailNow() // want `h.t.FailNow is called on a goroutine that s.Start starts at line 117 \(childlike.NewServer keeps the callback at line 116 and s.Start runs it from there\)`
}

func TestConstructedServerStartedKeepsItsHandler(t *testing.T) {
	s := childlike.NewServer(&startedHandler{t: t})
	s.Start()
}

type servedOnceHandler struct{ t *testing.T }

func (h *servedOnceHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.t.FailNow() // ServeOne runs it on the test's goroutine
}

func TestConstructedServerServedByTheTest(t *testing.T) {
	s := childlike.NewServer(&servedOnceHandler{t: t})
	req, _ := http.NewRequest("GET", "/", nil)
	s.ServeOne(req)
}
