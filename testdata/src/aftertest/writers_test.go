package aftertest

import (
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"writerlog"
)

// testLogWriter is the adapter many projects write: what their logger
// writes goes to the test's log.
type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) { // want Write:`reports\(logs=0\)`
	w.t.Log(string(p))
	return len(p), nil
}

func TestOwnLoggerGivenAnAdapter(t *testing.T) {
	logger := writerlog.NewWriter(testLogWriter{t})
	go func() { // want `logger.Info \(bound to t by testLogWriter\{...\} at line 24\) may run after TestOwnLoggerGivenAnAdapter has completed`
		for {
			logger.Info("tick")
			time.Sleep(time.Millisecond)
		}
	}()
}

func TestOwnLoggerGivenAnAdapterInItsOptions(t *testing.T) {
	logger := writerlog.New(&writerlog.Options{Name: "x", Output: testLogWriter{t}})
	go func() { // want `logger.Infof \(bound to t by testLogWriter\{...\} at line 34\) may run after TestOwnLoggerGivenAnAdapterInItsOptions has completed`
		for {
			logger.Infof("tick %d", 1)
			time.Sleep(time.Millisecond)
		}
	}()
}

type logTicker struct{ logger *writerlog.Logger }

func (tk *logTicker) run() { // want run:`reports\(logs=0\)`
	for {
		tk.logger.Info("tick")
		time.Sleep(time.Millisecond)
	}
}

func TestOwnLoggerInAServerItsGoroutineUses(t *testing.T) {
	tk := &logTicker{logger: writerlog.NewWriter(testLogWriter{t})}
	go tk.run() // want `tk.run \(bound to t by testLogWriter\{...\} at line 53\) may run after TestOwnLoggerInAServerItsGoroutineUses has completed`
}

func TestOwnLoggerGivenStdout(t *testing.T) {
	logger := writerlog.NewWriter(os.Stdout)
	go func() {
		for {
			logger.Info("tick")
			time.Sleep(time.Millisecond)
		}
	}()
}

func TestOwnLoggerAskedOnlyItsName(t *testing.T) {
	logger := writerlog.NewWriter(testLogWriter{t})
	go func() {
		for {
			_ = logger.Name()
			time.Sleep(time.Millisecond)
		}
	}()
}

func TestOwnLoggerWaitedFor(t *testing.T) {
	logger := writerlog.NewWriter(testLogWriter{t})
	var wg sync.WaitGroup
	wg.Go(func() {
		logger.Info("done")
	})
	wg.Wait()
}

// writeFunc is the other adapter: a function that is a writer.
type writeFunc func(p []byte) (int, error)

func (f writeFunc) Write(p []byte) (int, error) { return f(p) }

func TestOwnLoggerGivenAFunctionThatLogs(t *testing.T) {
	logger := writerlog.NewWriter(writeFunc(func(p []byte) (int, error) { t.Log(string(p)); return len(p), nil }))
	go func() { // want `logger.Info \(bound to t by a function literal at line 92\) may run after TestOwnLoggerGivenAFunctionThatLogs has completed`
		for {
			logger.Info("tick")
			time.Sleep(time.Millisecond)
		}
	}()
}

func newWriterLogger(t *testing.T) *writerlog.Logger { // want newWriterLogger:`reports\(binds=0\)`
	return writerlog.NewWriter(testLogWriter{t})
}

func TestOwnLoggerAHelperBuilds(t *testing.T) {
	logger := newWriterLogger(t)
	go func() { // want `logger.Info \(bound to t by newWriterLogger at line 106\) may run after TestOwnLoggerAHelperBuilds has completed`
		for {
			logger.Info("tick")
			time.Sleep(time.Millisecond)
		}
	}()
}

// printTo writes to the writer it is given with fmt, as w.Write would.
func printTo(w io.Writer, n int) { // want printTo:`reports\(logs=0\)`
	fmt.Fprintf(w, "tick %d\n", n)
}

func TestHelperPrintsToTheAdapter(t *testing.T) {
	w := testLogWriter{t}
	go func() { // want `printTo \(bound to t by testLogWriter\{...\} at line 121\) may run after TestHelperPrintsToTheAdapter has completed`
		for i := 0; ; i++ {
			printTo(w, i)
			time.Sleep(time.Millisecond)
		}
	}()
}

func TestHelperPrintsToStdout(t *testing.T) {
	go func() {
		for i := 0; ; i++ {
			printTo(os.Stdout, i)
			time.Sleep(time.Millisecond)
		}
	}()
}

// formatFor takes a writer but only formats: it writes nothing to it.
func formatFor(w io.Writer, n int) string {
	_ = w
	return fmt.Sprintf("tick %d", n)
}

func TestHelperOnlyFormats(t *testing.T) {
	w := testLogWriter{t}
	go func() {
		for i := 0; ; i++ {
			_ = formatFor(w, i)
			time.Sleep(time.Millisecond)
		}
	}()
}
