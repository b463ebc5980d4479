package fixes // want package:"ports 7101,7102,7103,7104,7105,7106,7107,7108,7109,7110,7111"

import (
	"io"
	"log"
	"net"
	"net/http"
	"testing"
)

func TestListenThenUseTheListener(t *testing.T) {
	ln, err := net.Listen("tcp", ":7101") // want `fixed port 7101`
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go http.Serve(ln, http.NotFoundHandler())
	resp, err := http.Get("http://" + ln.Addr().String())
	if err == nil {
		resp.Body.Close()
	}
}

func TestListenIPv6(t *testing.T) {
	ln, err := net.Listen("tcp6", ":7102") // want `fixed port 7102`
	if err != nil {
		t.Skip(err)
	}
	ln.Close()
}

func TestListenAndServeThenGet(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	go http.ListenAndServe(":7103", mux) // want `fixed port 7103`
	resp, err := http.Get("http://localhost:7103/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get("http://127.0.0.1:7103")
	if err == nil {
		resp.Body.Close()
	}
}

const addr = ":7104"

func TestConstantAddress(t *testing.T) {
	go func() {
		_ = http.ListenAndServe(addr, nil) // want `fixed port 7104`
	}()
	resp, err := http.Get("http://localhost" + addr)
	if err == nil {
		resp.Body.Close()
	}
}

func TestLoggedError(t *testing.T) {
	srv := "taken"
	go func() { log.Fatal(http.ListenAndServe("localhost:7108", nil)) }() // want `fixed port 7108`
	resp, err := http.Get("http://localhost:7108/?q=" + srv)
	if err == nil {
		resp.Body.Close()
	}
}

func logSomething() { log.Println("log is used elsewhere in the file") }

// No fix: the port is dialled elsewhere, a URL is built in a function
// literal or before the listen, the goroutine does more, the address is a
// variable (it would be left unused).

func TestListenThenDialThePort(t *testing.T) {
	ln, err := net.Listen("tcp", ":7105") // want `fixed port 7105`
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", "localhost:7105")
	if err == nil {
		conn.Close()
	}
}

func TestURLInAClosure(t *testing.T) {
	go http.ListenAndServe(":7106", nil) // want `fixed port 7106`
	t.Run("get", func(t *testing.T) {
		resp, err := http.Get("http://localhost:7106/")
		if err == nil {
			resp.Body.Close()
		}
	})
}

func TestURLBeforeTheListen(t *testing.T) {
	url := "http://localhost:7107/"
	go http.ListenAndServe(":7107", nil) // want `fixed port 7107`
	resp, err := http.Get(url)
	if err == nil {
		resp.Body.Close()
	}
}

func TestGoroutineDoesMore(t *testing.T) {
	go func() {
		if err := http.ListenAndServe(":7109", nil); err != nil { // want `fixed port 7109`
			t.Error(err)
		}
	}()
	resp, err := http.Get("http://localhost:7109/")
	if err == nil {
		resp.Body.Close()
	}
}

func TestAddressVariable(t *testing.T) {
	a := ":7110"
	go http.ListenAndServe(a, nil) // want `fixed port 7110`
	resp, err := http.Get("http://localhost:7110/")
	if err == nil {
		resp.Body.Close()
	}
}

func TestNoRequest(t *testing.T) {
	go http.ListenAndServe(":7111", nil) // want `fixed port 7111`
}
