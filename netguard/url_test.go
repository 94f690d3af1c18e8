package netguard_test

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		wantErr string
	}{
		{"https://example.com/hook", ""},
		{"http://example.com:8080/hook?x=1", ""},
		{"https://127.0.0.1/hook", ""}, // addresses are checked at dial time
		{"HTTPS://Example.COM/", ""},
		{"ftp://example.com/", "http:// or https://"},
		{"example.com/hook", "http:// or https://"},
		{"javascript:alert(1)", "http:// or https://"},
		{"https:///path", "no host"},
		{"https://user:pass@example.com/", "user name or password"},
		{"https://user@example.com/", "user name or password"},
		{"https://example.com:0/", "port"},
		{"https://example.com:99999/", "port"},
		{"https://exa mple.com/", "does not parse"},
		{"", "http:// or https://"},
	}
	for _, tt := range tests {
		err := netguard.CheckURL(tt.url)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("CheckURL(%q) = %v", tt.url, err)
			}
			continue
		}
		if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.wantErr) {
			t.Errorf("CheckURL(%q) = %v, want EINVALID containing %q", tt.url, err, tt.wantErr)
		}
	}
}

func TestGuardCheckURL(t *testing.T) {
	t.Parallel()
	allow, _ := netguard.ParseAllowlist("10.0.0.0/8")
	g := netguard.New(allow)
	tests := []struct {
		url  string
		code string
	}{
		{"https://example.com/", ""},
		{"http://10.1.2.3/", ""},
		{"http://169.254.169.254/latest/meta-data/", hookhub.EFORBIDDEN},
		{"http://[::1]:8080/", hookhub.EFORBIDDEN},
		{"http://[::ffff:127.0.0.1]/", hookhub.EFORBIDDEN},
		{"ftp://example.com/", hookhub.EINVALID},
	}
	for _, tt := range tests {
		if got := hookhub.ErrorCode(g.CheckURL(tt.url)); got != tt.code {
			t.Errorf("CheckURL(%q) code = %q, want %q", tt.url, got, tt.code)
		}
	}
}
