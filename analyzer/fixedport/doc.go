// Package fixedport defines an Analyzer that reports tests that listen on
// a fixed port.
//
// # Analyzer fixedport
//
// fixedport: report tests that listen on a fixed port
//
// go test ./... runs the test binaries of different packages at the same
// time, and the tests that call t.Parallel run together inside one
// binary. A test that listens on a fixed port collides with any other
// test, or service of the machine, that listens on it: "bind: address
// already in use", on a busy CI host only.
//
//	func TestAPI(t *testing.T) {
//		go http.ListenAndServe(":8080", handler) // another package's tests listen on :8080 too
//		resp, err := http.Get("http://localhost:8080/health")
//		...
//	}
//
// The check reports, in test code (functions of _test.go files, TestMain,
// and helpers that take or hold a testing value), a listen on an address
// whose port is a constant other than 0: net.Listen, net.ListenPacket,
// (*net.ListenConfig).Listen and ListenPacket, tls.Listen,
// http.ListenAndServe(TLS), an http.Server whose Addr is set in the
// literal it is built from and that is then served with ListenAndServe(TLS),
// the frameworks' starts (gin's r.Run(":8080"), echo's e.Start, fiber's
// app.Listen, fasthttp's ListenAndServe, gnet's Run("tcp://:9000", ...)),
// gin's r.Run() without an address,
// which listens on :8080, a helper of any package that listens on an
// address or port it is given, at the call that gives it a constant, and a
// server that keeps its address in a field and listens on it when a
// method of its own starts it (srv := server.New(server.Config{Port:
// 4222}); go srv.Run()), at that start. A gRPC server served on a
// listener is reported where that listener is created. The address is
// folded: constants, concatenations, fmt.Sprintf with %s, %d and %v of
// such values, net.JoinHostPort, strconv.Itoa, fields of literals,
// variables assigned once (locals, and unexported package-level
// variables), and the string a function or method of the package
// returns, its parameters and receiver standing for the call's operands
// (hostPort(9103), e.Address()), and the variable of a range over a table
// of cases or addresses, an element of which has a fixed port (tc.addr
// with tests := []struct{ name, addr string }{{"a", ":9090"}}).
//
// It does not report port 0, an address taken from a listener
// (ln.Addr().String()), from a flag or an environment variable (the user
// chose it), from a parameter or from anything else it cannot fold; unix
// sockets; dials of fixed ports (a database started by docker-compose is
// not the test's listener); code go test never runs (an example without
// an output comment, a disabled test: the function index tells); a port that cannot be bound (":99999"), or a listen
// whose error the test expects (if err == nil { t.Fatal(...) },
// assert.Error); a server whose Addr is ignored because it is served on a
// listener it is given (srv.Serve(ln)); a main, or a helper of a package
// that takes no testing value, that listens on a fixed port.
//
// Related information lists the other places that listen on the same
// port: the package's own tests, and the test code of the packages it
// imports (their helpers that take a testing value; an imported package's
// _test.go files are not part of what is imported), which a package fact
// carries. Facts flow only along imports, so that is what one package can
// see of its module; the standalone command shows those places, a vet
// tool's pass does not have their files.
//
// The suggested fixes, offered only when they keep the test's behaviour:
// net.Listen("tcp", ":8080") (and ListenPacket, tls.Listen) written with
// a literal address that nothing else in the package spells becomes
// net.Listen("tcp", "127.0.0.1:0"), keeping the host when it names one
// ("localhost:0", "[::1]:0"); and go http.ListenAndServe(":8080", h) in a
// test whose requests build their URLs from the same literal or constant,
// in the same function after it, becomes srv := httptest.NewServer(h)
// with defer srv.Close(), the URLs built from srv.URL.
package fixedport
