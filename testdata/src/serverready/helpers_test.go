package serverready

import (
	"net/http"
	"testing"

	"server"
)

func startServer(t *testing.T) *server.Server {
	s := server.New("127.0.0.1:9000")
	s.Start()
	return s
}

func TestUnreadyHelperOtherPackage(t *testing.T) {
	s := server.New("127.0.0.1:9001")
	s.Start()
	http.Get("http://127.0.0.1:9001/") // want `request may run before the server that s.Start started at line 18 listens: s.Start returns before the server's goroutine has created its listener`
}

func TestUnreadyHelperInSubtest(t *testing.T) {
	t.Run("a", func(t *testing.T) {
		startServer(t)
		http.Get("http://127.0.0.1:9000/") // want `request may run before the server that startServer started at line 24 listens`
	})
}

func launch() {
	go http.ListenAndServe("127.0.0.1:9002", nil)
}

func TestUnreadyLocalHelper(t *testing.T) {
	launch()
	http.Get("http://127.0.0.1:9002/") // want `request may run before the server that launch started`
}
