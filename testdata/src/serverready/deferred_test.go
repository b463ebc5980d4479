package serverready

import (
	"net/http"
	"sync"
	"testing"
)

func TestDeferredWaitIsNotWaiting(t *testing.T) {
	var wg sync.WaitGroup
	go http.ListenAndServe("127.0.0.1:8092", nil)
	defer wg.Wait()
	http.Get("http://127.0.0.1:8092/") // want `request may run before the server started at line 11 listens`
}
