// Package serverready holds the cases of the serverready analyzer, one
// theme a _test.go file.
package serverready

import (
	"net"
	"net/http"
)

// Main is production code: it starts its server and tells its parent
// process, at another address, that it is up. No test races here.
func Main(parent string) {
	go http.ListenAndServe("127.0.0.1:9200", nil)
	if conn, err := net.Dial("tcp", parent); err == nil {
		conn.Close()
	}
}
