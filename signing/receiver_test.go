package signing_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/verify"
)

// TestVerificationAcceptsWhatEachSchemeSigns: a Hookhub source set up with
// Verification(cfg) accepts what a destination with cfg sends.
func TestVerificationAcceptsWhatEachSchemeSigns(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, cfg := range []hookhub.SigningConfig{
		{Scheme: hookhub.SignStandardWebhooks},
		{Scheme: hookhub.SignHubSignature},
		{Scheme: hookhub.SignHubSignature, Header: "X-Custom-Sig"},
		{Scheme: hookhub.SignTimestampBody},
		{Scheme: hookhub.SignTimestampBody, Header: "X-S", TimestampHeader: "X-T"},
		{Scheme: hookhub.SignNone},
	} {
		cfg.Secret = signing.NewSecret()
		body := []byte(`{"a":1}`)
		s, err := signing.New(cfg, now)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("POST", "/hooks/k", nil)
		s.Sign(r.Header, "msg_1", now, body)
		v, err := verify.New(signing.Verification(cfg), func() time.Time { return now })
		if err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		if err := v.Verify(r, body); err != nil {
			t.Errorf("%s (header %q): own signature refused: %v", cfg.Scheme, cfg.Header, err)
		}
		if cfg.Scheme != hookhub.SignNone && v.Verify(r, []byte(`{"a":2}`)) == nil {
			t.Errorf("%s: a changed body verifies", cfg.Scheme)
		}
	}
}
