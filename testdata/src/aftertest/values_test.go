package aftertest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Goroutines that run a function value: the code it may be, as the
// index follows it through variables, lists, method values and helpers
// that hand a closure back.

func TestGoClosureVariable(t *testing.T) {
	logf := func() { t.Log("late") }
	go logf() // want `t.Log may run after TestGoClosureVariable has completed`
}

type boundLogger struct{ t *testing.T }

func (b *boundLogger) log() { b.t.Log("late") } // want log:`reports\(logs=0\)`

func TestGoMethodValueVariable(t *testing.T) {
	b := &boundLogger{t}
	log := b.log
	go log() // want `log \(bound to t by boundLogger{...} at line 25\) may run after TestGoMethodValueVariable has completed`
	time.Sleep(time.Millisecond)
}

func lateLogger(t *testing.T) func() { // want lateLogger:`reports\(logs=0 binds=0\)`
	return func() { t.Log("late") }
}

func TestGoClosureHandedBack(t *testing.T) {
	go lateLogger(t)() // want `t.Log may run after TestGoClosureHandedBack has completed`
}

func TestGoEachOfAList(t *testing.T) {
	steps := []func(){func() { t.Error("late") }}
	for _, step := range steps {
		go step() // want `t.Error may run after TestGoEachOfAList has completed`
	}
}

func TestGoTestingFieldOfALocal(t *testing.T) {
	b := &boundLogger{t: t}
	go func() { // want `b.t.Log may run after TestGoTestingFieldOfALocal has completed`
		b.t.Log("late")
	}()
}

type starter struct{}

func (starter) async(f func()) { go f() }

func TestCallbackVariable(t *testing.T) {
	var s starter
	f := func() { t.Log("late") }
	s.async(f) // want `t.Log may run after TestCallbackVariable has completed`
}

func TestGoClosureVariableJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	work := func() {
		defer wg.Done()
		t.Log("in time")
	}
	go work()
	wg.Wait()
}

// localServer is net's test server: buildup runs the handler on a
// goroutine that then closes done, and teardown waits for done.
type localServer struct {
	net.Listener
	done chan bool
}

func (ls *localServer) buildup(handler func(*localServer, net.Listener)) {
	go func() {
		handler(ls, ls.Listener)
		close(ls.done)
	}()
}

func (ls *localServer) teardown() {
	ls.Listener.Close()
	<-ls.done
}

func TestCallbackVariableJoinedThroughTheRunner(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	handler := func(ls *localServer, ln net.Listener) {
		t.Log("serving", ln.Addr())
	}
	ls := &localServer{Listener: ln, done: make(chan bool)}
	ls.buildup(handler)
	time.Sleep(time.Millisecond)
	ls.teardown()
}

// streamResponse is fasthttp's Response: SetBodyStreamWriter hands the
// writer on to newStreamReader, whose goroutine closes the pipe once the
// writer returns.
type streamResponse struct{ body io.Reader }

func newStreamReader(sw func(w io.Writer)) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		sw(pw)
		pw.Close()
	}()
	return pr
}

func (r *streamResponse) SetBodyStreamWriter(sw func(w io.Writer)) { r.body = newStreamReader(sw) }

func (r *streamResponse) BodyStream() io.Reader { return r.body }

func TestCallbackVariableHandedOnJoinedByReadingToTheEnd(t *testing.T) {
	sw := func(w io.Writer) {
		t.Log("writing")
	}
	resp := new(streamResponse)
	resp.SetBodyStreamWriter(sw)
	r := resp.BodyStream()
	if _, err := io.ReadAll(r); err != nil {
		t.Fatal(err)
	}
}

// errWorker's field is given a closure that logs by one test, and one that
// does not by another: the goroutine of the second runs its own.
type errWorker struct{ onErr func(error) }

func TestWorkerFieldCalledOnTheTestsGoroutine(t *testing.T) {
	w := &errWorker{onErr: func(err error) { t.Log(err) }}
	w.onErr(nil)
}

func TestGoFieldOfAnotherWorker(t *testing.T) {
	w := &errWorker{onErr: func(error) {}}
	go w.onErr(nil)
	var s starter
	s.async(func() { w.onErr(nil) })
}

// A method that calls a field of its receiver on a goroutine it starts,
// the receiver built in the test with a closure that logs.
type doneWorker struct {
	onDone func(error)
	done   chan struct{}
}

func (w *doneWorker) start() {
	go func() {
		defer close(w.done)
		w.onDone(nil)
	}()
}

func (w *doneWorker) wait() { <-w.done }

func TestFieldClosureAMethodRunsOnAGoroutine(t *testing.T) {
	w := &doneWorker{onDone: func(err error) { t.Logf("done: %v", err) }, done: make(chan struct{})}
	w.start() // want `t.Logf may run after TestFieldClosureAMethodRunsOnAGoroutine has completed: the function that w.start runs on a goroutine`
}

func TestFieldClosureAMethodRunsOnAGoroutineWaitedFor(t *testing.T) {
	w := &doneWorker{onDone: func(err error) { t.Logf("done: %v", err) }, done: make(chan struct{})}
	w.start()
	w.wait()
}
