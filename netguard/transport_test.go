package netguard_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
)

func TestTransport(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	viaLocalhost := "http://localhost:" + u.Port() + "/"

	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name  string
		allow []netip.Prefix
		url   string
		ok    bool
	}{
		{"loopback refused", nil, srv.URL, false},
		{"loopback allowed by allowlist", loopback, srv.URL, true},
		{"name resolving to loopback refused", nil, viaLocalhost, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := netguard.New(tt.allow).Transport()
			t.Cleanup(tr.CloseIdleConnections)
			resp, err := (&http.Client{Transport: tr}).Get(tt.url)
			if !tt.ok {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("GET %s succeeded, want refusal", tt.url)
				}
				if hookhub.ErrorCode(err) != hookhub.EFORBIDDEN || !strings.Contains(err.Error(), "loopback") {
					t.Errorf("err = %v, want EFORBIDDEN naming loopback", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("GET %s: %v", tt.url, err)
			}
			defer resp.Body.Close()
			if body, _ := io.ReadAll(resp.Body); string(body) != "ok" {
				t.Errorf("body = %q", body)
			}
		})
	}
}

func TestTransportIgnoresProxyEnv(t *testing.T) {
	t.Parallel()
	if tr := netguard.New(nil).Transport(); tr.Proxy != nil || tr.MaxIdleConnsPerHost < 32 {
		t.Errorf("Proxy set or MaxIdleConnsPerHost = %d", tr.MaxIdleConnsPerHost)
	}
}
