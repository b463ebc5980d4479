// Package samefindings has four findings with the same text: golangci-lint
// keeps at most three issues with the same text unless told otherwise. (A
// handler checking a request is the real shape; this one checks a message
// on a goroutine, to load no more than the testing package.)
package samefindings

import (
	"strings"
	"sync"
	"testing"
)

func TestHandler(t *testing.T) {
	var wg sync.WaitGroup
	msg := "POST /items application/json"
	wg.Go(func() {
		if !strings.HasPrefix(msg, "POST") {
			t.Fatal("not a POST")
		}
		if !strings.Contains(msg, "/items") {
			t.Fatal("not /items")
		}
		if !strings.HasSuffix(msg, "json") {
			t.Fatal("not JSON")
		}
		if len(msg) > 100 {
			t.Fatal("too long")
		}
	})
	wg.Wait()
}
