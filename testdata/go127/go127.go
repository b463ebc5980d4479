// Package go127 is a module whose go line is 1.27: testraces built with Go
// 1.26 says in one line that it needs a newer Go, and testraces built with
// Go 1.27 reports the misuses of httptest.NewTestServer in its tests.
package go127

import (
	"io"
	"net/http"
)

// Hello answers hello.
var Hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
