package serverready

import (
	"net"
	"net/http"
	"testing"
	"time"

	"gate"
	"github.com/stretchr/testify/assert"
	"server"
)

// Waiting by trying until the server answers: a loop that dials until it
// connects, a helper that polls, testify's Eventually, a request handed to
// a retry helper, a predicate polled in a sleeping loop. None is reported.
// A loop of requests that gives up at the first error is no poll: its
// cases are in runs_test.go.

// A loop that dials until a dial succeeds, then breaks.
func TestPollingLoopBreaksOnSuccess(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9100", nil)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:9100"); err == nil {
			c.Close()
			break
		}
	}
	http.Get("http://127.0.0.1:9100/")
}

// A loop that sleeps and tries again when a dial fails.
func TestPollingLoopSleepsAndContinuesOnError(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9107", nil)
	for i := 0; i < 10; i++ {
		conn, err := net.Dial("tcp", "127.0.0.1:9107")
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		conn.Close()
		break
	}
	http.Get("http://127.0.0.1:9107/")
}

// server.WaitReady requests until a request succeeds.
func TestPollingHelperLoopsUntilAnswer(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9101", nil)
	server.WaitReady("http://127.0.0.1:9101/")
	http.Get("http://127.0.0.1:9101/")
}

// gate.WaitUntilUp dials a bounded number of times and sleeps after a
// failed dial.
func TestPollingHelperSleepsBetweenDials(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9108", nil)
	if err := gate.WaitUntilUp("127.0.0.1:9108"); err != nil {
		t.Fatal(err)
	}
	http.Get("http://127.0.0.1:9108/")
}

func TestEventually(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9102", nil)
	assert.Eventually(t, func() bool {
		_, err := http.Get("http://127.0.0.1:9102/")
		return err == nil
	}, 0, 0)
	http.Get("http://127.0.0.1:9102/")
}

// retry calls op until it succeeds, as backoff libraries do.
func retry(op func() error) {
	for op() != nil {
	}
}

func TestRequestHandedToRetry(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9106", nil)
	retry(func() error {
		_, err := http.Get("http://127.0.0.1:9106/")
		return err
	})
	http.Get("http://127.0.0.1:9106/")
}

// checkFor polls a predicate until it holds, as nats-server's does.
func checkFor(t *testing.T, total, tick time.Duration, f func() error) {
	deadline := time.Now().Add(total)
	for time.Now().Before(deadline) {
		if err := f(); err == nil {
			return
		}
		time.Sleep(tick)
	}
	t.Fatal("timed out")
}

func TestPollingPredicate(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:9302", nil)
	checkFor(t, time.Second, 10*time.Millisecond, func() error {
		return nil
	})
	http.Get("http://127.0.0.1:9302/")
}
