// Package greeterpb is what protoc-gen-go-grpc generates for a service
// Greeter with one method, SayHello.
package greeterpb

import (
	"context"

	"google.golang.org/grpc"
)

type HelloRequest struct{ Name string }
type HelloReply struct{ Message string }

type GreeterServer interface {
	SayHello(context.Context, *HelloRequest) (*HelloReply, error)
}

type UnimplementedGreeterServer struct{}

func (UnimplementedGreeterServer) SayHello(context.Context, *HelloRequest) (*HelloReply, error) {
	return nil, nil
}

func RegisterGreeterServer(s grpc.ServiceRegistrar, srv GreeterServer) { // want RegisterGreeterServer:"stores=1:google.golang.org/grpc.MethodHandler@0"
	s.RegisterService(&Greeter_ServiceDesc, srv)
}

func _Greeter_SayHello_Handler(srv any, ctx context.Context, dec func(any) error) (any, error) { // want _Greeter_SayHello_Handler:"callsstored=greeterpb.GreeterServer"
	in := new(HelloRequest)
	if err := dec(in); err != nil {
		return nil, err
	}
	return srv.(GreeterServer).SayHello(ctx, in)
}

var Greeter_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "Greeter",
	HandlerType: (*GreeterServer)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "SayHello", Handler: _Greeter_SayHello_Handler}},
}

type GreeterClient struct{ cc *grpc.ClientConn }

func NewGreeterClient(cc *grpc.ClientConn) *GreeterClient { return &GreeterClient{cc} }

func (c *GreeterClient) SayHello(ctx context.Context, in *HelloRequest) (*HelloReply, error) {
	return &HelloReply{}, nil
}
