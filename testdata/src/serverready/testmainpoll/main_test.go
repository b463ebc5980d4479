package testmainpoll

import (
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	go http.ListenAndServe("127.0.0.1:9300", nil)
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:9300"); err == nil {
			c.Close()
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	os.Exit(m.Run())
}
