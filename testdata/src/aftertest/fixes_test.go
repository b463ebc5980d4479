package aftertest

import (
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func TestFixSimple(t *testing.T) {
	go func() { // want `t.Logf may run after TestFixSimple has completed`
		t.Logf("value: %s", fmt.Sprint(1))
	}()
	t.Log("done")
}

func TestFixOnContext(t *testing.T) {
	go func() { // want `t.Log may run after TestFixOnContext has completed`
		for {
			select {
			case <-t.Context().Done():
				return
			case <-time.After(time.Millisecond):
				t.Log("tick")
			}
		}
	}()
}

func TestFixLogger(t *testing.T) {
	logger := zaptest.NewLogger(t)
	go func() { // want `logger.Info \(bound to t by zaptest.NewLogger at line 32\) may run after TestFixLogger has completed`
		logger.Info("x")
	}()
}

func TestNoFixBlocking(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() { // want `t.Log may run after TestNoFixBlocking has completed`
		<-stop
		t.Log("stopped")
	}()
}

func TestNoFixInLoop(t *testing.T) {
	for range 2 {
		go func() { // want `t.Log may run after TestNoFixInLoop has completed`
			t.Log("x")
		}()
	}
}
