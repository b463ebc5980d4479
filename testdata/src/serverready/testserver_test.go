package serverready

import (
	"io"
	"net/http"
	"testing"
	"time"

	"go127/net/http/httptest"
)

// Go 1.27's httptest.NewTestServer: its URL is empty until the first call
// of Client, Start or StartTLS, and until Start or StartTLS only the
// client that Client returns reaches it.

var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })

// --- The URL read too early.

func TestTestServerURLBeforeClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	u := srv.URL + "/hello" // want `srv.URL is the empty string here: a server made by httptest.NewTestServer sets its URL on the first call of its Client, Start or StartTLS method, and none came before; call srv.Start\(\) \(or srv.Client\(\)\) before reading srv.URL`
	srv.Client().Get(u)
}

func TestTestServerURLBeforeStart(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	base := srv.URL // want `srv.URL is the empty string here`
	srv.Start()
	http.Get(base + "/hello")
}

func fetch(t *testing.T, url string) string { return url }

func TestTestServerURLToHelper(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	fetch(t, ts.URL) // want `ts.URL is the empty string here`
}

// --- A request through a client that cannot reach the in-memory network.

func TestTestServerDefaultClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	http.Get(srv.URL) // want `http.Get sends the request with http.DefaultClient, which cannot reach srv: a server made by httptest.NewTestServer serves an in-memory network that only srv.Client\(\) reaches, until srv.Start or srv.StartTLS is called; send it with srv.Client\(\), or call srv.Start\(\) first`
}

// Reported once, as a request: its URL is the empty string too.
func TestTestServerDefaultClientNothingCalled(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	http.Post(srv.URL+"/form", "text/plain", nil) // want `http.Post sends the request with http.DefaultClient, which cannot reach srv`
}

func TestTestServerOwnClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	client := &http.Client{Timeout: time.Second}
	c := srv.Client()
	_ = c
	client.Get(srv.URL + "/hello") // want `client.Get sends the request with client, which cannot reach srv`
}

func TestTestServerDefaultClientDo(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	_ = srv.Client()
	req, err := http.NewRequest("GET", srv.URL+"/hello", nil)
	if err != nil {
		t.Fatal(err)
	}
	http.DefaultClient.Do(req) // want `http.DefaultClient.Do sends the request with http.DefaultClient, which cannot reach srv`
}

func TestTestServerDefaultTransport(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	_ = srv.Client()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	http.DefaultTransport.RoundTrip(req) // want `http.DefaultTransport.RoundTrip sends the request with http.DefaultTransport, which cannot reach srv`
}

func TestTestServerURLVariable(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	u := srv.URL + "/hello"
	http.Get(u) // want `http.Get sends the request with http.DefaultClient, which cannot reach srv`
}

// --- Silent: started, or the server's own client, or unknown.

func TestTestServerStarted(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Start()
	http.Get(srv.URL)
}

func TestTestServerStartedTLS(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.StartTLS()
	srv.Client().Get(srv.URL)
}

func TestTestServerClientFirst(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	c := srv.Client()
	c.Get(srv.URL + "/hello")
}

// The method value srv.Client().Get is evaluated before its argument.
func TestTestServerClientInline(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client().Get(srv.URL)
}

// The server's client sends every host to the server.
func TestTestServerAnyHost(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client().Get("http://example.com/hello")
}

func TestTestServerStartedInBranches(t *testing.T) {
	tls := testing.Short()
	srv := httptest.NewTestServer(t, hello)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	http.Get(srv.URL)
}

func startTestServer(srv *httptest.Server) { srv.Start() }

func TestTestServerStartedByHelper(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	startTestServer(srv)
	http.Get(srv.URL)
}

func TestTestServerStartedByClosure(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	start := func() { srv.Start() }
	start()
	http.Get(srv.URL)
}

func TestTestServerTransportOfItsClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	client := &http.Client{Transport: srv.Client().Transport, Timeout: time.Second}
	client.Get(srv.URL)
}

func TestTestServerTransportSetLater(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	client := &http.Client{}
	client.Transport = srv.Client().Transport
	client.Get(srv.URL)
}

func TestTestServerURLLogged(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	t.Logf("server at %q", srv.URL)
	if srv.URL != "" {
		t.Fatal("started")
	}
	srv.Start()
	http.Get(srv.URL)
}

// A later iteration reads the URL after an earlier one set it.
func TestTestServerClientInLoop(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	var c *http.Client
	for _, p := range []string{"/a", "/b"} {
		if c != nil {
			c.Get(srv.URL + p)
		}
		c = srv.Client()
	}
}

// A literal may run at any time: after the server started.
func TestTestServerURLInLiteral(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	url := func() string { return srv.URL }
	srv.Start()
	http.Get(url())
}

// Not a request to the server.
func TestTestServerOtherHost(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	http.Get("http://127.0.0.1:9/")
}

// NewServer's server listens before it returns.
func TestTestServerNewServer(t *testing.T) {
	srv := httptest.NewServer(hello)
	defer srv.Close()
	http.Get(srv.URL)
}

// Reassigned: which server it holds is not known here.
func TestTestServerReassigned(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	if testing.Short() {
		srv = httptest.NewServer(hello)
	}
	http.Get(srv.URL)
}

func TestTestServerDeclared(t *testing.T) {
	var srv = httptest.NewTestServer(t, hello)
	fetch(t, srv.URL) // want `srv.URL is the empty string here`
}

func TestTestServerDefaultClientVariable(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	c := http.DefaultClient
	c.Head(srv.URL) // want `c.Head sends the request with http.DefaultClient, which cannot reach srv`
}

// A method value may be called at any time.
func TestTestServerStartValue(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	start := srv.Start
	start()
	http.Get(srv.URL)
}

// Deferred, or on a goroutine: the request runs later, when the server may
// have started, but its URL is read now. The first misuse of a server is
// reported, not the ones after it.
func TestTestServerRequestLater(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	defer http.Get(srv.URL) // want `srv.URL is the empty string here`
	go http.Get(srv.URL)
	srv.Start()
}

func TestTestServerFirstMisuse(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	u := srv.URL // want `srv.URL is the empty string here`
	srv.Client()
	http.Get(u)
	http.Get(srv.URL)
}

// Read inside the goroutine: when it runs, the server may have started.
func TestTestServerRequestInGoroutine(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	done := make(chan bool)
	go func() {
		http.Get(srv.URL)
		close(done)
	}()
	srv.Start()
	<-done
}

// A subtest's body runs when t.Run is called, in source order.
func TestTestServerSubtest(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	t.Run("get", func(t *testing.T) {
		srv.Start()
		http.Get(srv.URL)
	})
}

func TestTestServerSubtestRequest(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	for _, path := range []string{"/a", "/b"} {
		t.Run(path, func(t *testing.T) {
			testRequest(t, srv, "GET", path) // want `testRequest sends a request to srv with http.DefaultClient`
		})
	}
}

// A parallel subtest's body runs after the test's function returned.
func TestTestServerParallelSubtest(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	t.Run("get", func(t *testing.T) {
		t.Parallel()
		http.Get(srv.URL)
	})
	srv.Start()
}

// A client of a helper: not known not to reach the server.
func clientFor(srv *httptest.Server) *http.Client { return srv.Client() }

func TestTestServerHelperClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	c := clientFor(srv)
	c.Get(srv.URL)
}

// The server's transport, through a variable.
func TestTestServerTransportVariable(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	tr := srv.Client().Transport
	client := &http.Client{Transport: tr}
	client.Get(srv.URL)
}

// A dial function of the test's own may reach anything.
func TestTestServerOwnDial(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	dial := srv.Client().Transport.(*http.Transport).DialContext
	client := &http.Client{Transport: &http.Transport{DialContext: dial}}
	client.Get(srv.URL)
}

func TestTestServerOwnTransport(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 1}}
	client.Get(srv.URL) // want `client.Get sends the request with client, which cannot reach srv`
}

// A package-level client may be given the server's transport elsewhere.
var sharedClient = &http.Client{}

func TestTestServerSharedClient(t *testing.T) {
	srv := httptest.NewTestServer(t, hello)
	srv.Client()
	sharedClient.Get(srv.URL)
}

// --- Helpers of the package the server is handed to.

func testRequest(t *testing.T, ts *httptest.Server, method, path string) string {
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestTestServerHelperRequest(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	if body := testRequest(t, ts, "GET", "/hello"); body != "hello" { // want `testRequest sends a request to ts with http.DefaultClient \(http.DefaultClient.Do, line \d+\), which cannot reach it: a server made by httptest.NewTestServer serves an in-memory network that only ts.Client\(\) reaches, until ts.Start or ts.StartTLS is called; have testRequest send it with ts.Client\(\), or call ts.Start\(\) first`
		t.Fatal(body)
	}
}

func TestTestServerHelperRequestStarted(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	ts.Start()
	testRequest(t, ts, "GET", "/hello")
}

func urlOf(ts *httptest.Server, path string) string { return ts.URL + path }

func TestTestServerHelperURL(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	u := urlOf(ts, "/hello") // want `urlOf reads ts.URL \(line \d+\) while it is the empty string`
	ts.Client().Get(u)
}

func getWith(ts *httptest.Server, path string) { ts.Client().Get(ts.URL + path) }

func TestTestServerHelperOwnClient(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	getWith(ts, "/hello")
	http.Get(ts.URL) // want `http.Get sends the request with http.DefaultClient, which cannot reach ts`
}

// Through two helpers.
func getHello(t *testing.T, ts *httptest.Server) string { return testRequest(t, ts, "GET", "/hello") }

func TestTestServerHelperOfHelper(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	getHello(t, ts) // want `getHello sends a request to ts with http.DefaultClient \(http.DefaultClient.Do, line \d+\)`
}

var kept []*httptest.Server

func keep(ts *httptest.Server) { kept = append(kept, ts) }

func TestTestServerHelperKeeps(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	keep(ts)
	testRequest(t, ts, "GET", "/hello")
}

func requestWithHeaders(t *testing.T, ts *httptest.Server, path string, headers ...string) {
	http.Get(ts.URL + path)
}

func TestTestServerVariadicHelper(t *testing.T) {
	ts := httptest.NewTestServer(t, hello)
	requestWithHeaders(t, ts, "/hello", "Accept", "text/plain") // want `requestWithHeaders sends a request to ts with http.DefaultClient \(http.Get, line \d+\)`
}
