package aftertest

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"golang.org/x/sync/errgroup"
)

func TestWaitGroupJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Error("x")
	}()
	wg.Wait()
}

func TestWaitGroupInCleanup(t *testing.T) {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("x")
	}()
}

func TestDeferredWait(t *testing.T) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log("x")
	}()
	if err := Work(); err != nil {
		t.Fatal(err)
	}
}

func TestDoneChannel(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Log("x")
	}()
	<-done
}

func TestResultChannel(t *testing.T) {
	errc := make(chan error, 1)
	go func() {
		err := Work()
		t.Log("worked")
		errc <- err
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestSelectWithTimeout(t *testing.T) {
	done := make(chan struct{})
	go func() {
		t.Log("x")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

func TestCleanupCancelsAndWaits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Millisecond):
				t.Log("tick")
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func TestErrgroup(t *testing.T) {
	var g errgroup.Group
	g.Go(func() error {
		t.Log("x")
		return nil
	})
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestWaitGroupGo(t *testing.T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.Log("x")
	})
	wg.Wait()
}

func TestAtomicPoll(t *testing.T) {
	var done atomic.Bool
	go func() {
		t.Log("x")
		done.Store(true)
	}()
	for !done.Load() {
		time.Sleep(time.Millisecond)
	}
	waitFor(&done)
}

func waitFor(b *atomic.Bool) {
	for !b.Load() {
		<-time.After(time.Millisecond)
	}
}

func TestNoTestingValue(t *testing.T) {
	go func() {
		_ = Work()
	}()
}

func TestNopLogger(t *testing.T) {
	logger := zap.NewNop()
	go func() {
		logger.Info("x")
	}()
}

func TestQueriesOnly(t *testing.T) {
	go func() {
		_ = t.Name()
		_ = t.Failed()
	}()
}

func TestSubtestBodies(t *testing.T) {
	t.Run("sub", func(t *testing.T) {
		t.Log("runs on the subtest's goroutine, which t.Run waits for")
	})
}

func BenchmarkRunParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			b.Log("x")
		}
	})
}

func TestSynctestLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		go func() {
			t.Log("goes to the outer test, which waits for the bubble")
		}()
	})
}

func TestSynctestError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		go func() { // want `t.Error may run after the synctest.Test function has completed`
			t.Error("panics")
		}()
	})
}

// startServer returns a stop function that waits for the goroutine.
func startServer(t *testing.T) (stop func()) { // want startServer:`reports\(asynclogs=0\)`
	done := make(chan struct{})
	go func() {
		t.Log("serving")
	}()
	return func() { <-done }
}

func TestHelperWithResult(t *testing.T) {
	stop := startServer(t)
	defer stop()
}

func TestLoggerOfAnotherTest(t *testing.T) {
	logger := zaptest.NewLogger(t)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		logger.Info("x")
	}()
	defer wg.Wait()
}

func TestDoneFunction(t *testing.T) {
	ch := make(chan int)
	finish := func() { ch <- 1 }
	go func() {
		t.Log("x")
		finish()
	}()
	<-ch
}

func TestGoNamedWithChannel(t *testing.T) {
	done := make(chan struct{})
	go worker(t, done)
	<-done
}

func worker(t *testing.T, done chan struct{}) { // want worker:`reports\(logs=0\)`
	defer close(done)
	t.Log("x")
}

func TestEnabledOnly(t *testing.T) {
	logger := zaptest.NewLogger(t)
	go func() {
		_ = logger.Sync()
	}()
}

// The goroutine receives what the test sends: each send tells the test
// the goroutine got that far. (After the last one it may still log; the
// join is taken as plausible, not proven.)
func TestRangeOverEvents(t *testing.T) {
	events := make(chan string)
	go func() {
		for ev := range events {
			t.Logf("event: %v", ev)
		}
	}()
	events <- "a"
	close(events)
}

// The goroutine writes to a pipe the test reads to its end.
func TestPipe(t *testing.T) {
	r, w := io.Pipe()
	go func() {
		defer w.Close()
		if _, err := w.Write([]byte("x")); err != nil {
			t.Error(err)
		}
	}()
	if _, err := io.ReadAll(r); err != nil {
		t.Fatal(err)
	}
}

// The goroutine is one end of a connection the test talks to.
func TestConn(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	go func() {
		if _, err := server.Write([]byte("hello")); err != nil {
			t.Error(err)
		}
	}()
	buf := make([]byte, 5)
	if _, err := client.Read(buf); err != nil {
		t.Fatal(err)
	}
}

// A function kept in a table runs on whichever test calls it.
func TestTableFunction(t *testing.T) {
	cases := []struct {
		run func(t *testing.T)
	}{{
		run: func(t *testing.T) {
			go func() {
				t.Log("x")
			}()
		},
	}}
	for _, tc := range cases {
		t.Run("case", func(t *testing.T) {
			tc.run(t)
			time.Sleep(time.Millisecond)
		})
	}
}

// A callback a helper runs: for how long is the helper's business.
func TestCallbackOfHelper(t *testing.T) {
	withServer(t, func() {
		go func() {
			t.Log("x")
		}()
	})
}

func withServer(t *testing.T, f func()) { f() }

// The goroutine receives a value the test sends after its use of t.
func TestSendToGoroutine(t *testing.T) {
	proceed := make(chan bool)
	go func() {
		t.Log("waiting")
		<-proceed
	}()
	proceed <- true
}

// The goroutine serves the connection the test dials and reads from.
func TestAcceptedConn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			t.Errorf("accept: %v", err)
			return
		}
		defer conn.Close()
		conn.Write([]byte("hello"))
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatal(err)
	}
}

// event is a latch like grpc's grpcsync.Event.
type event struct{ c chan struct{} }

func (e *event) Fire()                 { close(e.c) }
func (e *event) Done() <-chan struct{} { return e.c }

// The goroutine fires an event the test waits on.
func TestEventFired(t *testing.T) {
	closed := &event{c: make(chan struct{})}
	go func() {
		if err := Work(); err != nil {
			t.Errorf("work: %v", err)
		}
		closed.Fire()
	}()
	<-closed.Done()
}
