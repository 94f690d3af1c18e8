package netguard

import (
	"net"
	"net/netip"
	"strconv"
)

// CheckHost reports whether hostport ("host:port") is a usable address for a
// non-HTTP connection (a message broker): a host and a port between 1 and
// 65535, and, when the host is a literal IP address, one the guard allows, so
// a mistake shows when the destination is saved rather than on its first
// delivery. Host names are checked when they resolve, on every connection.
func (g *Guard) CheckHost(hostport string) error {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || host == "" {
		return invalid("address %q is not host:port", hostport)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return invalid("address %q: port is not between 1 and 65535", hostport)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return nil // a name; checked when it resolves
	}
	return g.check(ip)
}
