package verify

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// signatureHeaders are the headers any verifier reads; the fuzzer fills all
// of them at once, so one input reaches every scheme's parser.
var signatureHeaders = []string{
	"Authorization", "Stripe-Signature", "X-Hub-Signature", "X-Hub-Signature-256", "X-PagerDuty-Signature",
	"X-Shopify-Hmac-Sha256", "X-Slack-Request-Timestamp", "X-Slack-Signature", "X-Snyk-Signature",
	"X-Webhook-Token", "X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp",
	"webhook-id", "webhook-signature", "webhook-timestamp", "X-Sig", "X-Ts", "X-Id",
}

// fuzzSchemeConfig is the verification each registered scheme is fuzzed with.
func fuzzSchemeConfig(scheme string) hookhub.Verification {
	cfg := hookhub.Verification{Scheme: scheme, Secret: fuzzSecret}
	switch scheme {
	case "basic":
		cfg = hookhub.Verification{Scheme: scheme, Username: "u", Password: fuzzSecret}
	case "hmac":
		cfg.Header, cfg.Algorithm, cfg.Encoding, cfg.Signed = "X-Sig", "sha256", "base64", "timestamp+body"
		cfg.TimestampHeader = "X-Ts"
	case hookhub.SourceStandardWebhooks:
		cfg.Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	case "none":
		cfg.Secret = ""
	}
	return cfg
}

// FuzzVerifyEveryScheme runs every registered verifier on the same hostile
// headers and body: none may panic, accept a forgery of a secret-bearing
// scheme, answer with a code other than 401/403, or name its secret.
func FuzzVerifyEveryScheme(f *testing.F) {
	f.Add("v1=00,t=1", "1700000000", []byte(`{}`))
	f.Add("sha256=zz", "", []byte{})
	f.Add("Bearer "+fuzzSecret, "2021-07-25T10:00:00Z", []byte("x"))
	f.Add("Basic dTpmdXp6LXNlY3JldC12YWx1ZQ==", "-1", []byte(`{"a":1}`))
	f.Add(strings.Repeat("v1,", 200), "99999999999999999999", []byte("\xff"))
	now := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, value, ts string, body []byte) {
		r := request()
		for _, h := range signatureHeaders {
			r.Header.Set(h, value)
		}
		for _, h := range []string{"X-Slack-Request-Timestamp", "X-Zendesk-Webhook-Signature-Timestamp", "webhook-timestamp", "X-Ts"} {
			r.Header.Set(h, ts)
		}
		for _, scheme := range Schemes() {
			v := mustNew(t, fuzzSchemeConfig(scheme), now)
			err := v.Verify(r, body)
			if err == nil {
				if knownGood(scheme, r) {
					continue
				}
				t.Fatalf("%s accepted a forged request: %q %q", scheme, value, ts)
			}
			if c := hookhub.ErrorCode(err); c != hookhub.EUNAUTHORIZED && c != hookhub.EFORBIDDEN {
				t.Fatalf("%s: code %s: %v", scheme, c, err)
			}
			if strings.Contains(hookhub.ErrorMessage(err), fuzzSecret) {
				t.Fatalf("%s: message leaks the secret: %v", scheme, err)
			}
		}
	})
}

// knownGood reports whether a request may pass scheme without a signature:
// schemes that check nothing, and token schemes given the token itself.
func knownGood(scheme string, r *http.Request) bool {
	switch scheme {
	case "none":
		return true
	case "basic":
		u, p, ok := r.BasicAuth()
		return ok && u == "u" && p == fuzzSecret
	}
	for _, h := range []string{"Authorization", "X-Webhook-Token"} {
		v := r.Header.Get(h)
		if v == fuzzSecret || strings.EqualFold(strings.TrimSpace(v), "bearer "+fuzzSecret) ||
			strings.TrimSpace(strings.TrimPrefix(v, "Bearer ")) == fuzzSecret {
			return true
		}
	}
	return false
}
