package netguard_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
)

func TestAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.215.14", true},
		{"2606:4700:4700::1111", true},
		{"2a00:1450:4001:82a::200e", true},

		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"172.32.0.1", true},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"169.254.0.1", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"100.128.0.1", true},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"255.255.255.255", false},
		{"240.0.0.1", false},
		{"192.0.0.170", false},
		{"192.0.2.1", false},
		{"198.18.0.1", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},

		{"::", false},
		{"::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"ff02::1", false},
		{"fec0::1", false},
		{"::127.0.0.1", false},
		{"2001:db8::1", false},
		{"2001:0:4136:e378::1", false}, // Teredo
		{"100::1", false},

		// IPv4 in IPv6 clothing.
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::7f00:1", false},    // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", false}, // NAT64 of 169.254.169.254
		{"64:ff9b::808:808", true},    // NAT64 of 8.8.8.8
		{"64:ff9b:1::808:808", false}, // local-use NAT64
		{"2002:7f00:1::1", false},     // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", false},   // 6to4 of 192.168.1.1
		{"2002:808:808::1", true},     // 6to4 of 8.8.8.8
	}
	g := netguard.New(nil)
	for _, tt := range tests {
		if got := g.Allowed(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Allowed(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestAllowlist(t *testing.T) {
	t.Parallel()
	allow, err := netguard.ParseAllowlist(" 127.0.0.1/32, 10.20.0.0/16,,fd00::/8, 192.168.1.5 ")
	if err != nil {
		t.Fatal(err)
	}
	g := netguard.New(allow)
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true},
		{"::ffff:127.0.0.1", true},
		{"127.0.0.2", false},
		{"10.20.30.40", true},
		{"10.21.0.1", false},
		{"fd00::1", true},
		{"fc00::1", false},
		{"192.168.1.5", true},
		{"192.168.1.6", false},
		{"8.8.8.8", true},
	}
	for _, tt := range tests {
		if got := g.Allowed(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Allowed(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestParseAllowlist(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string // prefixes joined by space
		wantErr string
	}{
		{"", "", ""},
		{" , ", "", ""},
		{"10.0.0.1/8", "10.0.0.0/8", ""},
		{"::1, 10.0.0.0/8", "::1/128 10.0.0.0/8", ""},
		{"10.0.0.0/33", "", `"10.0.0.0/33"`},
		{"10.0.0.0/8, example.com", "", `"example.com"`},
	}
	for _, tt := range tests {
		got, err := netguard.ParseAllowlist(tt.in)
		if tt.wantErr != "" {
			if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseAllowlist(%q) err = %v, want EINVALID naming %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if err != nil || strings.Join(s, " ") != tt.want {
			t.Errorf("ParseAllowlist(%q) = %v, %v; want %s", tt.in, s, err, tt.want)
		}
	}
}

func TestControl(t *testing.T) {
	t.Parallel()
	g := netguard.New(nil)
	tests := []struct {
		address string
		wantErr string
	}{
		{"8.8.8.8:443", ""},
		{"[2606:4700:4700::1111]:443", ""},
		{"127.0.0.1:80", "loopback"},
		{"[::ffff:10.0.0.1]:80", "private (RFC 1918)"},
		{"169.254.169.254:80", "cloud metadata"},
		{"[fe80::1%eth0]:80", "link-local"},
		{"localhost:80", "not an IP address"},
	}
	for _, tt := range tests {
		err := g.Control("tcp", tt.address, nil)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("Control(%s) = %v, want nil", tt.address, err)
			}
			continue
		}
		if hookhub.ErrorCode(err) != hookhub.EFORBIDDEN || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Control(%s) = %v, want EFORBIDDEN mentioning %q", tt.address, err, tt.wantErr)
		}
	}
}
