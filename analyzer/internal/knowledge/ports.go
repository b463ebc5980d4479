package knowledge

import (
	"go/types"
	"strings"
)

// A ListenAt says where a library function that listens takes the address
// it listens on. Operands are numbered as funcindex numbers them: the
// receiver, if any, is operand 0.
type ListenAt struct {
	// Network is the operand holding the network ("tcp", "unix"); -1 when
	// the function listens on TCP whatever it is given.
	Network int
	// Addr is the operand holding the address ("host:port"); -1 when the
	// address is a field of the receiver (AddrField).
	Addr int
	// AddrField is the field of the receiver that holds the address:
	// http.Server's Addr, which ListenAndServe reads (and Serve(ln) does
	// not).
	AddrField string
	// DefaultPort is the port the function listens on when its variadic
	// address is left out, unless the environment variable DefaultEnv
	// says another: gin's Engine.Run() listens on $PORT, or :8080 when
	// it is empty. 0: none.
	DefaultPort int
	DefaultEnv  string
	// UDP: the function listens on UDP whatever it is given (gin's
	// RunQUIC): it does not collide with a TCP listener of the same port.
	UDP bool
}

var (
	netAt           = ListenAt{Network: 0, Addr: 1}  // net.Listen(network, address)
	configAt        = ListenAt{Network: 2, Addr: 3}  // (*net.ListenConfig).Listen(ctx, network, address)
	addrAt0         = ListenAt{Network: -1, Addr: 0} // http.ListenAndServe(addr, h)
	addrAt1         = ListenAt{Network: -1, Addr: 1} // e.Start(address), app.Listen(addr)
	serverAt        = ListenAt{Network: -1, Addr: -1, AddrField: "Addr"}
	ginRunAt        = ListenAt{Network: -1, Addr: 1, DefaultPort: 8080, DefaultEnv: "PORT"}
	quicAt          = ListenAt{Network: -1, Addr: 1, UDP: true}
	quicAt0         = ListenAt{Network: -1, Addr: 0, UDP: true}
	quicServerAt    = ListenAt{Network: -1, Addr: -1, AddrField: "Addr", UDP: true}
	frameworkStarts = map[string]ListenAt{
		"Echo.Start": addrAt1, "Echo.StartTLS": addrAt1, "Echo.StartAutoTLS": addrAt1, "Echo.StartH2CServer": addrAt1,
	}
	fiberListens = map[string]ListenAt{
		"App.Listen": addrAt1, "App.ListenTLS": addrAt1, "App.ListenMutualTLS": addrAt1,
	}
)

// listenAddresses maps a package path, then "Name" or "Type.Name", to
// where the function takes the address it listens on. The frameworks'
// signatures and defaults are read from their code: gin's Engine.Run
// resolves no address to ":8080" (resolveAddress, utils.go); echo's Start
// and fiber's Listen take the address as their first argument, with no
// default; gnet's Run takes its address as its second argument, with the
// network as a scheme (SplitScheme).
var listenAddresses = table[ListenAt]{
	"net": {
		"Listen": netAt, "ListenPacket": netAt,
		"ListenConfig.Listen": configAt, "ListenConfig.ListenPacket": configAt,
	},
	"crypto/tls": {"Listen": netAt},
	"net/http": {
		"ListenAndServe": addrAt0, "ListenAndServeTLS": addrAt0,
		"Server.ListenAndServe": serverAt, "Server.ListenAndServeTLS": serverAt,
	},
	"github.com/gin-gonic/gin": {
		"Engine.Run": ginRunAt, "Engine.RunTLS": addrAt1, "Engine.RunQUIC": quicAt,
	},
	"github.com/quic-go/quic-go": {"ListenAddr": quicAt0, "ListenAddrEarly": quicAt0},
	"github.com/quic-go/quic-go/http3": {
		"ListenAndServeQUIC": quicAt0, "ListenAndServeTLS": quicAt0,
		"Server.ListenAndServe": quicServerAt, "Server.ListenAndServeTLS": quicServerAt,
	},
	"github.com/labstack/echo":    frameworkStarts,
	"github.com/labstack/echo/v4": frameworkStarts,
	"github.com/gofiber/fiber/v2": fiberListens,
	"github.com/gofiber/fiber/v3": {"App.Listen": addrAt1},
	// gnet's Run takes "tcp://:9000", "udp://...", "unix://...".
	"github.com/panjf2000/gnet/v2": {"Run": addrAt1},
	"github.com/valyala/fasthttp": {
		"ListenAndServe": addrAt0, "ListenAndServeTLS": addrAt0, "ListenAndServeTLSEmbed": addrAt0,
		"Server.ListenAndServe": addrAt1, "Server.ListenAndServeTLS": addrAt1, "Server.ListenAndServeTLSEmbed": addrAt1,
	},
}

var listenAddressIndex = indexed(listenAddresses)

// ListensAt returns where fn, a library function that listens, takes the
// address it listens on; ok is false for other functions.
func ListensAt(fn *types.Func) (at ListenAt, ok bool) {
	if fn == nil {
		return at, false
	}
	at, _ = listenAddressIndex.lookup(fn.Origin())
	return at, at != (ListenAt{})
}

// SplitScheme splits a "network://address" (gnet's "tcp://:9000") into
// its network and address; an address without a network scheme is
// returned as it is, with no network: "http://127.0.0.1:8889" is a URL,
// on which a listen fails.
func SplitScheme(addr string) (network, rest string) {
	if network, rest, ok := strings.Cut(addr, "://"); ok && isNetwork(network) {
		return network, rest
	}
	return "", addr
}

// isNetwork reports whether network is a network name of package net
// that listens on addresses or paths.
func isNetwork(network string) bool {
	switch network {
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix", "unixgram", "unixpacket":
		return true
	}
	return false
}

// IsUDPNetwork reports whether network is one of the UDP networks.
func IsUDPNetwork(network string) bool {
	return network == "udp" || network == "udp4" || network == "udp6"
}

// IsUnixNetwork reports whether network is one of the unix socket
// networks, whose addresses are paths, not ports.
func IsUnixNetwork(network string) bool {
	return network == "unix" || network == "unixpacket" || network == "unixgram"
}
