package fixedport

import (
	"net"
	"os"
	"testing"
)

// Tables of cases: each iteration listens on its element's address, so a
// fixed port in any element is one the test listens on.

func TestTableOfAddresses(t *testing.T) {
	for _, addr := range []string{":0", ":7111"} {
		ln, err := net.Listen("tcp", addr) // want `fixed port 7111`
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
	}
}

func TestTableOfCasesByPosition(t *testing.T) {
	tests := []struct {
		name string
		addr string
	}{
		{"loopback", "127.0.0.1:7222"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", tc.addr) // want `fixed port 7222`
			if err != nil {
				t.Fatal(err)
			}
			ln.Close()
		})
	}
}

func TestTableOfCasesByKey(t *testing.T) {
	tests := map[string]struct{ addr string }{
		"any": {addr: ":7333"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", tc.addr) // want `fixed port 7333`
			if err != nil {
				t.Fatal(err)
			}
			ln.Close()
		})
	}
}

func TestTableOfFreePorts(t *testing.T) {
	for _, addr := range []string{":0", "127.0.0.1:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
	}
}

func TestTableWithAnAddressFromTheEnvironment(t *testing.T) {
	for _, addr := range []string{":0", os.Getenv("ADDR")} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
	}
}

func TestTableReassignedInTheLoop(t *testing.T) {
	for _, addr := range []string{":8080"} {
		addr = "127.0.0.1:0"
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		ln.Close()
	}
}
