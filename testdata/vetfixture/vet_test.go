// Package vetfixture is the module the superset test runs go vet
// -vettool=testraces on: one mistake go vet's own suite finds (printf,
// copylocks) and one race of each testraces analyzer, each to be reported
// once. It imports net, not net/http: what it imports is vetted already
// for testdata/fixture, and each go vet with other flags vets again
// everything the module imports (net's dependencies took half the time
// of net/http's).
package vetfixture

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func count(c counter) int { return c.n }

func TestPrintf(t *testing.T) {
	fmt.Printf("%d\n", "one")
	_ = count(counter{})
}

func TestDeferParallel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	t.Run("dial", func(t *testing.T) {
		t.Parallel()
		net.Dial("tcp", ln.Addr().String())
	})
}

// A go statement: testinggoroutine would report it too, and is left out.
func TestFailNow(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		t.Fatal("boom")
	}()
	<-done
}

func TestServerReady(t *testing.T) {
	go func() {
		ln, err := net.Listen("tcp", "127.0.0.1:18082")
		if err != nil {
			return
		}
		ln.Accept()
	}()
	net.Dial("tcp", "127.0.0.1:18082")
}

func TestCleanupContext(t *testing.T) {
	ctx := t.Context()
	t.Cleanup(func() {
		drop(ctx)
	})
}

func drop(ctx context.Context) error { return ctx.Err() }
