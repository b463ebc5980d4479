package serverready

import (
	"net/http"
	"sync"
	"testing"
)

// A file that does not import net: the fix adds the import. Its case, a
// deferred Wait, waits only when the test returns.

func TestDeferredWaitIsNotWaiting(t *testing.T) {
	var wg sync.WaitGroup
	go http.ListenAndServe("127.0.0.1:8092", nil)
	defer wg.Wait()
	http.Get("http://127.0.0.1:8092/") // want `request may run before the server started at line 14 listens`
}
