package fixedport // want package:"ports 80,443,1323,2000,3000,3123,4222,4433,5000,6000,7000,7070,7111,7222,7333,8080,8081,8082,8083,8084,8085,8086,8087,8088,8090,8091,8092,8093,8095,8097,8098,8099,8101,8102,8103,8106,8443,9000,9090,9091,9100,9101,9102,9103,9104,50051,54321"

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"testing"
)

const port = "8082"

const addr = "localhost:" + port

var pkgAddr = ":8083" // unexported, never reassigned

func TestConstant(t *testing.T) {
	ln, _ := net.Listen("tcp", addr) // want `fixed port 8082`
	ln.Close()
}

func TestPackageVariable(t *testing.T) {
	go http.ListenAndServe(pkgAddr, nil) // want `fixed port 8083`
}

func TestConcatenation(t *testing.T) {
	host := "127.0.0.1"
	ln, _ := net.Listen("tcp", host+":"+"8084") // want `fixed port 8084`
	ln.Close()
}

func TestSprintf(t *testing.T) {
	p := 8085
	go http.ListenAndServe(fmt.Sprintf("%s:%d", "localhost", p), nil) // want `fixed port 8085`
}

func TestJoinHostPortItoa(t *testing.T) {
	ln, _ := net.Listen("tcp", net.JoinHostPort("localhost", strconv.Itoa(8086))) // want `fixed port 8086`
	ln.Close()
}

func TestDeclaredThenSet(t *testing.T) {
	var a string
	a = ":8080"
	ln, _ := net.Listen("tcp", a) // want `fixed port 8080`
	ln.Close()
}

// Addresses a function or method of the package returns, its parameters
// and receiver standing for what the call gives them.

func listenAddr() string { return ":9102" }

func hostPort(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

type endpoint struct {
	host string
	port int
}

func (e endpoint) Address() string { return fmt.Sprintf("%s:%d", e.host, e.port) }

func TestReturnedAddress(t *testing.T) {
	ln, _ := net.Listen("tcp", listenAddr()) // want `fixed port 9102`
	ln.Close()
}

func TestReturnedFromParameter(t *testing.T) {
	ln, _ := net.Listen("tcp", hostPort(9103)) // want `fixed port 9103`
	ln.Close()
}

func TestReturnedFromReceiverFields(t *testing.T) {
	e := endpoint{host: "127.0.0.1", port: 9104}
	ln, _ := net.Listen("tcp", e.Address()) // want `fixed port 9104`
	ln.Close()
}

// Negatives: values that cannot be folded, or are not a fixed port.

var reassigned = ":8090"

func init() { reassigned = ":0" }

// Exported may be set by an external test package.
var Exported = ":8091"

func TestReassignedPackageVariable(t *testing.T) {
	go http.ListenAndServe(reassigned, nil)
	go http.ListenAndServe(Exported, nil)
}

func TestLocalReassigned(t *testing.T) {
	a := ":8092"
	if testing.Short() {
		a = ":0"
	}
	ln, _ := net.Listen("tcp", a)
	ln.Close()
}

func TestPortIncremented(t *testing.T) {
	p := 8093
	p++
	ln, _ := net.Listen("tcp", fmt.Sprintf(":%d", p))
	ln.Close()
}

func TestSprintfOtherVerb(t *testing.T) {
	ln, _ := net.Listen("tcp", fmt.Sprintf(":%x", 8094))
	ln.Close()
}

func TestPortZeroFolded(t *testing.T) {
	ln, _ := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(0)))
	ln.Close()
}

func TestReturnedFromPortZero(t *testing.T) {
	ln, _ := net.Listen("tcp", hostPort(0))
	ln.Close()
}
