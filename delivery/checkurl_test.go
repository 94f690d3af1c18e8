package delivery_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/netguard"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	store := openSQLite(t)
	guarded := delivery.New(delivery.Options{Store: store, Guard: netguard.New([]netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")})})
	byDefault := delivery.New(delivery.Options{Store: store})
	custom := delivery.New(delivery.Options{Store: store, Transport: http.DefaultTransport})
	tests := []struct {
		e    *delivery.Engine
		url  string
		code string
	}{
		{guarded, "https://hooks.example.com/x", ""},
		{guarded, "http://localhost:8080/", ""}, // a name: checked when it resolves
		{guarded, "http://10.1.2.3/", ""},
		{guarded, "http://10.2.0.1/", hookhub.EFORBIDDEN},
		{guarded, "http://127.0.0.1:9000/", hookhub.EFORBIDDEN},
		{guarded, "ftp://example.com/", hookhub.EINVALID},
		{byDefault, "http://[::1]/", hookhub.EFORBIDDEN},
		{byDefault, "http://169.254.169.254/", hookhub.EFORBIDDEN},
		{custom, "http://127.0.0.1/", ""}, // the transport is trusted to guard itself
		{custom, "http://user:pw@example.com/", hookhub.EINVALID},
	}
	for _, tt := range tests {
		if err := tt.e.CheckURL(tt.url); hookhub.ErrorCode(err) != tt.code {
			t.Errorf("CheckURL(%s) = %v, want code %q", tt.url, err, tt.code)
		}
	}
}
