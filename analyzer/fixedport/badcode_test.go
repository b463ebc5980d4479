package fixedport_test

import (
	"testing"

	"github.com/testraces/testraces/analyzer/fixedport"
	"github.com/testraces/testraces/internal/badcode"
)

// TestBadCode runs the analyzer over code with type errors, as a driver
// that runs analyzers despite errors would: it must not panic.
func TestBadCode(t *testing.T) {
	const src = `package bad

import (
	"fmt"
	"net"
	"net/http"
	"testing"
)

func TestBad(t *testing.T) {
	net.Listen("tcp", undefined)
	net.Listen()
	net.Listen("tcp", fmt.Sprintf(":%d"))
	net.Listen("tcp", fmt.Sprintf(":%d", 1, 2, 3))
	net.Listen("tcp", fmt.Sprintf(":%d%", 8080))
	http.ListenAndServe(":" + missing, nil)
	srv := &http.Server{Addr: 8080}
	srv.ListenAndServe()
	(&http.Server{nope: ":1"}).ListenAndServe()
	helper(t, ":8080")
	var x = helper
	x(t)
	go http.ListenAndServe(":8080")
	http.ListenAndServe(":8081", nil)
}

func helper(t *testing.T, addr string, more ...string) {
	net.Listen("tcp", addr + more)
}
`
	diags := badcode.Run(t, fixedport.Analyzer, src)
	if diags == 0 {
		t.Error("no finding for http.ListenAndServe(\":8081\", nil): was the code checked at all?")
	}
}
