package fixedport

import (
	"net"
	"os"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/labstack/echo/v4"
	"github.com/panjf2000/gnet/v2"
	"github.com/quic-go/quic-go/http3"
	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc"
)

func TestGinRun(t *testing.T) {
	r := gin.Default()
	go r.Run(":8080") // want `fixed port 8080`
}

func TestGinRunDefault(t *testing.T) {
	r := gin.Default()
	go r.Run() // want `the test listens on the fixed port 8080, which r.Run listens on when given no address: test binaries`
}

func TestGinRunTLS(t *testing.T) {
	r := gin.Default()
	go r.RunTLS(":8443", "cert.pem", "key.pem") // want `fixed port 8443`
}

func TestEchoStart(t *testing.T) {
	e := echo.New()
	go e.Start(":1323") // want `fixed port 1323`
}

func TestFiberListen(t *testing.T) {
	app := fiber.New()
	go app.Listen(":3000") // want `fixed port 3000`
}

func TestGRPCOnAFixedListener(t *testing.T) {
	lis, err := net.Listen("tcp", "localhost:50051") // want `fixed port 50051`
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	go s.Serve(lis)
}

func TestGinRunDefaultFromEnv(t *testing.T) {
	t.Setenv("PORT", "3123")
	go gin.Default().Run() // want `the test listens on the fixed port 3123, which gin.Default\(\).Run listens on when given no address`
}

func TestGinRunDefaultEnvEmptied(t *testing.T) {
	os.Setenv("PORT", "")
	go gin.Default().Run() // want `fixed port 8080, which`
}

func TestGinRunQUIC(t *testing.T) {
	go gin.Default().RunQUIC(":4433", "cert.pem", "key.pem") // want `fixed port 4433`
}

func TestGnetRun(t *testing.T) {
	go gnet.Run(nil, "tcp://:9100")        // want `fixed port 9100`
	go gnet.Run(nil, "udp://0.0.0.0:9101") // want `fixed port 9101`
}

// Negatives.

func TestGnetRunUnix(t *testing.T) {
	go gnet.Run(nil, "unix://"+t.TempDir()+"/gnet.sock")
	go gnet.Run(nil, "tcp://127.0.0.1:0")
}

func TestGnetRunExpectedToFail(t *testing.T) {
	err := gnet.Run(nil, "tcp://:3500", func() {})
	assert.ErrorIs(t, err, gnet.ErrTooManyEventLoopThreads)
}

func TestGinRunDefaultFromAnUnknownEnv(t *testing.T) {
	os.Setenv("PORT", os.Getenv("TEST_PORT"))
	go gin.Default().Run()
}

func TestEchoStartExpectedToFail(t *testing.T) {
	e := echo.New()
	assert.Equal(t, echo.ErrInvalidListenerNetwork, e.Start(":1324"))
}

func TestGinRunOnAListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go gin.Default().RunListener(ln)
}

func ginRunSpread(t *testing.T, addrs []string) {
	go gin.Default().Run(addrs...)
}

func TestEchoStartFreePort(t *testing.T) {
	go echo.New().Start("127.0.0.1:0")
}

func TestQUICOnAFixedPort(t *testing.T) {
	go http3.ListenAndServeQUIC(":8443", "cert.pem", "key.pem", nil) // want `the test listens on the fixed port 8443`
}
