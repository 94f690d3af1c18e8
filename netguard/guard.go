// Package netguard keeps outbound webhook requests away from internal
// networks (SSRF protection).
//
// The address check runs in the dialer's Control hook, on the IP actually
// being connected to after DNS resolution, so a name that resolves to a
// public address when saved and to 127.0.0.1 later (DNS rebinding) is still
// refused. An allowlist of CIDRs lets an operator open specific internal
// ranges on purpose.
package netguard

import (
	"net"
	"net/netip"
	"strings"
	"syscall"

	"github.com/hookhub/hookhub"
)

// Guard decides which IP addresses outbound requests may connect to.
// It is safe for concurrent use and never changes after New.
type Guard struct {
	allow   []netip.Prefix
	blocked []blockedRange
}

// New returns a Guard that refuses internal and reserved addresses except
// those inside an allow prefix.
func New(allow []netip.Prefix) *Guard {
	a := make([]netip.Prefix, len(allow))
	for i, p := range allow {
		a[i] = p.Masked()
	}
	return &Guard{allow: a, blocked: blockedRanges()}
}

// ParseAllowlist parses comma-separated CIDRs such as
// "10.1.0.0/16, fd00::/8"; a bare address stands for itself alone.
// Empty entries are skipped.
func ParseAllowlist(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := parsePrefix(f)
		if err != nil {
			return nil, invalid("allowlist entry %q is not a CIDR such as 10.0.0.0/8 or an IP address", f)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		ip, err := netip.ParseAddr(s)
		if err != nil || ip.Zone() != "" {
			return netip.Prefix{}, net.InvalidAddrError(s)
		}
		ip = ip.Unmap()
		return netip.PrefixFrom(ip, ip.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

// Allowed reports whether the guard lets a connection to ip through.
func (g *Guard) Allowed(ip netip.Addr) bool {
	return g.check(ip) == nil
}

// Control refuses the connection unless the resolved address is allowed.
// Its signature fits net.Dialer.Control.
func (g *Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return hookhub.Errorf(hookhub.EFORBIDDEN, "refusing to connect to %q: not an IP address and port", address)
	}
	return g.check(ap.Addr())
}

// check returns an EFORBIDDEN error naming the range ip falls in, or nil.
func (g *Guard) check(ip netip.Addr) error {
	// Zones are dropped because netip.Prefix.Contains never matches a zoned
	// address; fe80::1%eth0 is still link-local.
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() {
		return hookhub.Errorf(hookhub.EFORBIDDEN, "refusing to connect to an invalid address")
	}
	for _, p := range g.allow {
		if p.Contains(ip) {
			return nil
		}
	}
	if reason, blocked := g.blockedReason(ip); blocked {
		return hookhub.Errorf(hookhub.EFORBIDDEN,
			"refusing to connect to %s: %s address (add it to the outbound allowlist to permit it)", ip, reason)
	}
	return nil
}
