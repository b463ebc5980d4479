package serverready

import (
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// What the test waits on between a start and its request: a channel, a
// WaitGroup, a mutex. A barrier counts only once the listener exists, so
// each comes with its twin that does not wait for it: signalled before the
// server listens, a receive that does not block, a mutex locked once, a
// sleep. Waiting by trying until the server answers is in polls_test.go;
// a deferred Wait, in fiximport_test.go.

func TestReadySignalledAfterListening(t *testing.T) {
	ready := make(chan string)
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		ready <- ln.Addr().String()
		http.Serve(ln, nil)
	}()
	addr := <-ready
	http.Get("http://" + addr)
}

func TestReadySignalledBeforeListening(t *testing.T) {
	ready := make(chan struct{})
	go func() {
		close(ready)
		http.ListenAndServe("127.0.0.1:8088", nil)
	}()
	<-ready
	http.Get("http://127.0.0.1:8088/") // want `request may run before the server started at line 31 listens`
}

func TestNonBlockingReceiveIsNotWaiting(t *testing.T) {
	ready := make(chan bool)
	go func() {
		http.ListenAndServe("127.0.0.1:8091", nil)
		close(ready)
	}()
	select {
	case <-ready:
	default:
	}
	http.Get("http://127.0.0.1:8091/") // want `request may run before the server started at line 41 listens`
}

func TestWaitGroupDoneAfterListening(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:9103")
		wg.Done()
		http.Serve(ln, nil)
	}()
	wg.Wait()
	http.Get("http://127.0.0.1:9103/")
}

// Done before the listener exists signals nothing about it.
func TestWaitGroupDoneBeforeListening(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		http.ListenAndServe("127.0.0.1:9110", nil)
	}()
	wg.Wait()
	http.Get("http://127.0.0.1:9110/") // want `request may run before the server started at line \d+ listens`
}

// notifyServer calls NotifyStartedFunc once it listens, as miekg/dns'
// Server does.
type notifyServer struct {
	addr              string
	NotifyStartedFunc func()
}

func (s *notifyServer) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.NotifyStartedFunc()
	return http.Serve(ln, nil)
}

// Locking a mutex the test holds waits until the server unlocks it.
func TestMutexLatch(t *testing.T) {
	var mu sync.Mutex
	srv := &notifyServer{addr: "127.0.0.1:9300", NotifyStartedFunc: mu.Unlock}
	mu.Lock()
	go srv.ListenAndServe()
	mu.Lock()
	http.Get("http://127.0.0.1:9300/")
}

func TestMutexLockedOnce(t *testing.T) {
	var mu sync.Mutex
	srv := &notifyServer{addr: "127.0.0.1:9301", NotifyStartedFunc: mu.Unlock}
	mu.Lock()
	go srv.ListenAndServe()
	http.Get("http://127.0.0.1:9301/") // want `request may run before the server started at line 106 listens`
}

func TestSleepIsNotWaiting(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8083", nil)
	time.Sleep(100 * time.Millisecond)
	http.Get("http://127.0.0.1:8083/") // want `request may run before the server started at line 111 listens: .* \(the sleep at line 112 only makes the race rarer: sleeping is not waiting\)`
}

func TestTimeAfterIsNotWaiting(t *testing.T) {
	go http.ListenAndServe("127.0.0.1:8090", nil)
	<-time.After(50 * time.Millisecond)
	http.Get("http://127.0.0.1:8090/") // want `request may run before the server started at line 117 listens: .*\(the sleep at line 118 only makes the race rarer`
}

// Two servers, and the test waits for one: its request may be for that
// one, so nothing is said (a TestMain's m.Run is, see testmainsome).
func TestWaitsForOneOfTwoServers(t *testing.T) {
	apiReady := make(chan struct{})
	go func() {
		ln, _ := net.Listen("tcp", "127.0.0.1:9401")
		close(apiReady)
		http.Serve(ln, nil)
	}()
	go http.ListenAndServe("127.0.0.1:9402", nil)
	<-apiReady
	http.Get("http://127.0.0.1:9401/")
}
