package netguard_test

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
)

func TestCheckHost(t *testing.T) {
	t.Parallel()
	g := netguard.New([]netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")})
	tests := []struct {
		addr     string
		wantCode string
		wantErr  string
	}{
		{"broker.example.com:4222", "", ""},
		{"10.1.2.3:5672", "", ""}, // allowlisted
		{"8.8.8.8:9092", "", ""},
		{"127.0.0.1:6379", hookhub.EFORBIDDEN, "loopback"},
		{"[::1]:1883", hookhub.EFORBIDDEN, "loopback"},
		{"10.2.0.1:5672", hookhub.EFORBIDDEN, "private"},
		{"broker.example.com", hookhub.EINVALID, "host:port"},
		{":4222", hookhub.EINVALID, "host:port"},
		{"broker:0", hookhub.EINVALID, "port"},
		{"broker:70000", hookhub.EINVALID, "port"},
		{"broker:amqp", hookhub.EINVALID, "port"},
	}
	for _, tt := range tests {
		err := g.CheckHost(tt.addr)
		if tt.wantCode == "" {
			if err != nil {
				t.Errorf("CheckHost(%q) = %v", tt.addr, err)
			}
			continue
		}
		if hookhub.ErrorCode(err) != tt.wantCode || !strings.Contains(hookhub.ErrorMessage(err), tt.wantErr) {
			t.Errorf("CheckHost(%q) = %v, want %s containing %q", tt.addr, err, tt.wantCode, tt.wantErr)
		}
	}
}

func TestDialerRefusesWhatTheGuardRefuses(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, err = netguard.New(nil).Dialer().DialContext(context.Background(), "tcp", ln.Addr().String())
	if hookhub.ErrorCode(err) != hookhub.EFORBIDDEN {
		t.Fatalf("dial loopback without allowlist: %v, want EFORBIDDEN", err)
	}
	c, err := netguard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}).Dialer().DialContext(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial allowlisted loopback: %v", err)
	}
	c.Close()
}
