package netguard

import "net/netip"

// blockedRange is a refused prefix and why, for the error message.
type blockedRange struct {
	prefix netip.Prefix
	reason string
}

// blockedRanges lists the refused prefixes, from the IANA IPv4 and IPv6
// special-purpose address registries. Besides the obvious private ranges it
// refuses documentation, benchmarking and reserved space: none of it holds
// a real webhook receiver, and some networks route it internally.
//
// IPv6 outside global unicast 2000::/3 is refused as a whole (see
// blockedReason), so only the special ranges inside it and the well-known
// names outside it need entries here.
func blockedRanges() []blockedRange {
	table := []struct{ cidr, reason string }{
		{"0.0.0.0/8", "\"this network\""},
		{"10.0.0.0/8", "private (RFC 1918)"},
		{"100.64.0.0/10", "carrier-grade NAT (RFC 6598)"},
		{"127.0.0.0/8", "loopback"},
		{"169.254.0.0/16", "link-local (includes cloud metadata 169.254.169.254)"},
		{"172.16.0.0/12", "private (RFC 1918)"},
		{"192.0.0.0/24", "IETF protocol assignment"},
		{"192.0.2.0/24", "documentation"},
		{"192.88.99.0/24", "6to4 relay anycast"},
		{"192.168.0.0/16", "private (RFC 1918)"},
		{"198.18.0.0/15", "benchmarking"},
		{"198.51.100.0/24", "documentation"},
		{"203.0.113.0/24", "documentation"},
		{"224.0.0.0/4", "multicast"},
		{"255.255.255.255/32", "broadcast"},
		{"240.0.0.0/4", "reserved"},

		{"::/128", "unspecified"},
		{"::1/128", "loopback"},
		{"::/96", "IPv4-compatible (deprecated)"},
		{"64:ff9b:1::/48", "local-use NAT64"},
		{"100::/64", "discard-only"},
		{"2001::/23", "IETF protocol assignment (includes Teredo)"},
		{"2001:db8::/32", "documentation"},
		{"3fff::/20", "documentation"},
		{"fc00::/7", "unique local (ULA)"},
		{"fe80::/10", "link-local"},
		{"fec0::/10", "site-local (deprecated)"},
		{"ff00::/8", "multicast"},
	}
	out := make([]blockedRange, len(table))
	for i, e := range table {
		out[i] = blockedRange{netip.MustParsePrefix(e.cidr), e.reason}
	}
	return out
}

// blockedReason reports whether ip (zone-free, unmapped) is refused and why.
func (g *Guard) blockedReason(ip netip.Addr) (string, bool) {
	for _, b := range g.blocked {
		if b.prefix.Contains(ip) {
			return b.reason, true
		}
	}
	if !ip.Is6() {
		return "", false
	}
	// NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses carry an IPv4
	// address that a gateway will connect to; check that one instead.
	b := ip.As16()
	switch {
	case [12]byte(b[:12]) == [12]byte{0, 0x64, 0xff, 0x9b}:
		return g.embedded("NAT64", netip.AddrFrom4([4]byte(b[12:])))
	case b[0] == 0x20 && b[1] == 0x02:
		return g.embedded("6to4", netip.AddrFrom4([4]byte(b[2:6])))
	case b[0]&0xe0 != 0x20: // outside global unicast 2000::/3
		return "non-global IPv6", true
	}
	return "", false
}

// embedded checks the IPv4 address inside a NAT64 or 6to4 address.
func (g *Guard) embedded(kind string, v4 netip.Addr) (string, bool) {
	if reason, blocked := g.blockedReason(v4); blocked {
		return kind + "-embedded " + reason, true
	}
	return "", false
}
