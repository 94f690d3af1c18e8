package verify

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// request returns a POST carrying headers given as name, value pairs.
func request(headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hooks/k", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// mustNew builds a verifier with a fixed clock or fails the test.
func mustNew(t *testing.T, cfg hookhub.Verification, now time.Time) Verifier {
	t.Helper()
	v, err := New(cfg, func() time.Time { return now })
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg.Scheme, err)
	}
	return v
}

// wantErr asserts err has code and message; code "" means success.
func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if hookhub.ErrorCode(err) != code || hookhub.ErrorMessage(err) != msg {
		t.Fatalf("err = %v, want code %q message %q", err, code, msg)
	}
}

func TestNewInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  hookhub.Verification
	}{
		{"unknown scheme", hookhub.Verification{Scheme: "nope"}},
		{"empty scheme", hookhub.Verification{}},
		{"hmac without secret", hookhub.Verification{Scheme: "hmac", Header: "X-Sig"}},
		{"hmac without header", hookhub.Verification{Scheme: "hmac", Secret: "s"}},
		{"hmac bad algorithm", hookhub.Verification{Scheme: "hmac", Secret: "s", Header: "X", Algorithm: "md5"}},
		{"hmac bad encoding", hookhub.Verification{Scheme: "hmac", Secret: "s", Header: "X", Encoding: "base32"}},
		{"hmac bad signed", hookhub.Verification{Scheme: "hmac", Secret: "s", Header: "X", Signed: "body.timestamp"}},
		{"hmac timestamp without header", hookhub.Verification{Scheme: "hmac", Secret: "s", Header: "X", Signed: "timestamp.body"}},
		{"hmac id without header", hookhub.Verification{Scheme: "hmac", Secret: "s", Header: "X", Signed: "id.timestamp.body", TimestampHeader: "T"}},
		{"negative tolerance", hookhub.Verification{Scheme: "none", ToleranceSec: -1}},
		{"huge tolerance", hookhub.Verification{Scheme: "none", ToleranceSec: 1 << 40}},
		{"basic without password", hookhub.Verification{Scheme: "basic", Username: "u"}},
		{"basic without username", hookhub.Verification{Scheme: "basic", Password: "p"}},
		{"token without secret", hookhub.Verification{Scheme: "token"}},
		{"github without secret", hookhub.Verification{Scheme: "github"}},
		{"snyk without secret", hookhub.Verification{Scheme: "snyk"}},
		{"stripe without secret", hookhub.Verification{Scheme: "stripe"}},
		{"slack without secret", hookhub.Verification{Scheme: "slack"}},
		{"shopify without secret", hookhub.Verification{Scheme: "shopify"}},
		{"zendesk without secret", hookhub.Verification{Scheme: "zendesk"}},
		{"pagerduty without secret", hookhub.Verification{Scheme: "pagerduty"}},
		{"standard without secret", hookhub.Verification{Scheme: "standard-webhooks"}},
		{"standard secret not base64", hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_!!!"}},
		{"standard bad previous secret", hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_c2VjcmV0", PreviousSecret: "whsec_%"}},
		{"standard short public key", hookhub.Verification{Scheme: "standard-webhooks", Secret: "whpk_c2VjcmV0"}},
		{"standard private key", hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsk_c2VjcmV0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(tt.cfg, nil)
			if v != nil || hookhub.ErrorCode(err) != hookhub.EINVALID {
				t.Fatalf("New = %v, %v; want an EINVALID error", v, err)
			}
		})
	}
}

func TestNewDoesNotEchoSecret(t *testing.T) {
	t.Parallel()
	_, err := New(hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_not*base64"}, nil)
	if msg := hookhub.ErrorMessage(err); err == nil || strings.Contains(msg, "not*base64") {
		t.Fatalf("err = %v", err)
	}
}

func TestSchemes(t *testing.T) {
	t.Parallel()
	got := Schemes()
	if !slices.IsSorted(got) {
		t.Errorf("Schemes() = %v, not sorted", got)
	}
	for _, want := range append([]string{"none", "basic", "token", "hmac"}, hookhub.SourceTypes...) {
		if !slices.Contains(got, want) {
			t.Errorf("Schemes() lacks %q", want)
		}
	}
	// Every listed scheme builds with a plausible configuration.
	for _, s := range got {
		cfg := hookhub.Verification{Scheme: s, Secret: "whsec_c2VjcmV0", Header: "X-Sig", Username: "u", Password: "p"}
		if _, err := New(cfg, nil); err != nil {
			t.Errorf("New(%s): %v", s, err)
		}
	}
}

func TestNone(t *testing.T) {
	t.Parallel()
	v := mustNew(t, hookhub.Verification{Scheme: "none"}, time.Time{})
	wantErr(t, v.Verify(request(), nil), "", "")
}

func TestOptionalToken(t *testing.T) {
	t.Parallel()
	for _, scheme := range []string{"whatap", "alertmanager", "grafana", "panther", "generic"} {
		t.Run(scheme, func(t *testing.T) {
			open := mustNew(t, hookhub.Verification{Scheme: scheme}, time.Time{})
			if _, ok := open.(*None); !ok {
				t.Errorf("without a secret got %T, want *None", open)
			}
			v := mustNew(t, hookhub.Verification{Scheme: scheme, Secret: "tok"}, time.Time{})
			wantErr(t, v.Verify(request("X-Webhook-Token", "tok"), nil), "", "")
			wantErr(t, v.Verify(request(), nil), hookhub.EUNAUTHORIZED, "missing X-Webhook-Token header")
			wantErr(t, v.Verify(request("X-Webhook-Token", "tol"), nil), hookhub.EUNAUTHORIZED, "invalid token")
		})
	}
}

func TestToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     hookhub.Verification
		headers []string
		msg     string
	}{
		{"default header", hookhub.Verification{Secret: "s3cret"}, []string{"X-Webhook-Token", "s3cret"}, ""},
		{"custom header", hookhub.Verification{Secret: "s3cret", Header: "X-Auth"}, []string{"X-Auth", "s3cret"}, ""},
		{"custom header missing", hookhub.Verification{Secret: "s3cret", Header: "X-Auth"}, []string{"X-Webhook-Token", "s3cret"}, "missing X-Auth header"},
		{"wrong", hookhub.Verification{Secret: "s3cret"}, []string{"X-Webhook-Token", "s3cres"}, "invalid token"},
		{"prefix of secret", hookhub.Verification{Secret: "s3cret"}, []string{"X-Webhook-Token", "s3cre"}, "invalid token"},
		{"longer", hookhub.Verification{Secret: "s3cret"}, []string{"X-Webhook-Token", "s3cret!"}, "invalid token"},
		{"previous", hookhub.Verification{Secret: "new", PreviousSecret: "s3cret"}, []string{"X-Webhook-Token", "s3cret"}, ""},
		{"bearer", hookhub.Verification{Secret: "s3cret", Header: "authorization"}, []string{"Authorization", "Bearer s3cret"}, ""},
		{"bearer wrong", hookhub.Verification{Secret: "s3cret", Header: "Authorization"}, []string{"Authorization", "Bearer nope"}, "invalid token"},
		{"bearer empty", hookhub.Verification{Secret: "s3cret", Header: "Authorization"}, []string{"Authorization", "Bearer "}, "missing Authorization header"},
		{"bare authorization", hookhub.Verification{Secret: "s3cret", Header: "Authorization"}, []string{"Authorization", "s3cret"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Scheme = "token"
			err := mustNew(t, tt.cfg, time.Time{}).Verify(request(tt.headers...), nil)
			code := ""
			if tt.msg != "" {
				code = hookhub.EUNAUTHORIZED
			}
			wantErr(t, err, code, tt.msg)
			if Challenge(err) != "" {
				t.Errorf("token failures need no WWW-Authenticate challenge")
			}
		})
	}
}

func TestBasic(t *testing.T) {
	t.Parallel()
	cfg := hookhub.Verification{Scheme: "basic", Username: "hook", Password: "pa55", PreviousSecret: "old"}
	v := mustNew(t, cfg, time.Time{})
	tests := []struct {
		name, user, pass string
		set              bool
		msg              string
	}{
		{"ok", "hook", "pa55", true, ""},
		{"previous password", "hook", "old", true, ""},
		{"wrong password", "hook", "pa56", true, "invalid credentials"},
		{"wrong user", "hooh", "pa55", true, "invalid credentials"},
		{"empty", "", "", true, "invalid credentials"},
		{"absent", "", "", false, "missing Authorization header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request()
			if tt.set {
				r.SetBasicAuth(tt.user, tt.pass)
			}
			err := v.Verify(r, nil)
			if tt.msg == "" {
				wantErr(t, err, "", "")
				return
			}
			wantErr(t, err, hookhub.EUNAUTHORIZED, tt.msg)
			if got := Challenge(err); got != `Basic realm="hookhub"` {
				t.Errorf("Challenge = %q", got)
			}
		})
	}
	if Challenge(nil) != "" || Challenge(hookhub.Errorf(hookhub.EUNAUTHORIZED, "x")) != "" {
		t.Error("Challenge of a non-Basic error must be empty")
	}
	wantErr(t, v.Verify(request("Authorization", "Bearer pa55"), nil), hookhub.EUNAUTHORIZED, "missing Authorization header")
}

func TestGitHubPrefersSHA256(t *testing.T) {
	t.Parallel()
	v := mustNew(t, hookhub.Verification{Scheme: "github", Secret: "It's a Secret to Everybody"}, time.Time{})
	// A valid legacy signature must not rescue a wrong SHA-256 one.
	r := request("X-Hub-Signature-256", "sha256="+zeros(64), "X-Hub-Signature", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")
	wantErr(t, v.Verify(r, []byte("Hello, World!")), hookhub.EUNAUTHORIZED, reasonMismatch)
	wantErr(t, v.Verify(request(), nil), hookhub.EUNAUTHORIZED, "missing X-Hub-Signature-256 header")
}

func TestMalformed(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	tests := []struct {
		cfg     hookhub.Verification
		headers []string
		msg     string
	}{
		{hookhub.Verification{Scheme: "github", Secret: "s"}, []string{"X-Hub-Signature-256", "sha1=" + zeros(40)}, "malformed X-Hub-Signature-256 header"},
		{hookhub.Verification{Scheme: "github", Secret: "s"}, []string{"X-Hub-Signature-256", "sha256=xyz"}, "malformed X-Hub-Signature-256 header"},
		{hookhub.Verification{Scheme: "github", Secret: "s"}, []string{"X-Hub-Signature-256", "sha256="}, "malformed X-Hub-Signature-256 header"},
		{hookhub.Verification{Scheme: "github", Secret: "s"}, []string{"X-Hub-Signature-256", "SHA256=" + zeros(64)}, reasonMismatch},
		{hookhub.Verification{Scheme: "shopify", Secret: "s"}, []string{"X-Shopify-Hmac-Sha256", "not base64!"}, "malformed X-Shopify-Hmac-Sha256 header"},
		{hookhub.Verification{Scheme: "stripe", Secret: "s"}, []string{"Stripe-Signature", "v1=" + zeros(64)}, "malformed Stripe-Signature header"},
		{hookhub.Verification{Scheme: "stripe", Secret: "s"}, []string{"Stripe-Signature", "t=1700000000"}, "malformed Stripe-Signature header"},
		{hookhub.Verification{Scheme: "stripe", Secret: "s"}, []string{"Stripe-Signature", "t=1700000000,t=1700000000,v1=" + zeros(64)}, "malformed Stripe-Signature header"},
		{hookhub.Verification{Scheme: "stripe", Secret: "s"}, []string{"Stripe-Signature", "t=soon,v1=" + zeros(64)}, "invalid Stripe-Signature timestamp"},
		{hookhub.Verification{Scheme: "stripe", Secret: "s"}, []string{"Stripe-Signature", "t=1700000000,v0=" + zeros(64)}, "malformed Stripe-Signature header"},
		{hookhub.Verification{Scheme: "slack", Secret: "s"}, []string{"X-Slack-Signature", "v1=" + zeros(64), "X-Slack-Request-Timestamp", "1700000000"}, "malformed X-Slack-Signature header"},
		{hookhub.Verification{Scheme: "slack", Secret: "s"}, []string{"X-Slack-Signature", "v0=" + zeros(64), "X-Slack-Request-Timestamp", "-1"}, "invalid X-Slack-Request-Timestamp timestamp"},
		{hookhub.Verification{Scheme: "pagerduty", Secret: "s"}, []string{"X-PagerDuty-Signature", "v2=" + zeros(64)}, "malformed X-PagerDuty-Signature header"},
		{hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_c2VjcmV0"},
			[]string{"webhook-id", "m", "webhook-timestamp", "1700000000", "webhook-signature", "v2,AAAA v1,%%%"}, "malformed webhook-signature header"},
		{hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_c2VjcmV0"},
			[]string{"webhook-id", "m", "webhook-timestamp", "2023-11-14T22:13:20Z", "webhook-signature", "v1,AAAA"}, "invalid webhook-timestamp timestamp"},
		{hookhub.Verification{Scheme: "zendesk", Secret: "s"},
			[]string{"X-Zendesk-Webhook-Signature", "AAAA", "X-Zendesk-Webhook-Signature-Timestamp", "yesterday"}, "invalid X-Zendesk-Webhook-Signature-Timestamp timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.cfg.Scheme+" "+tt.msg, func(t *testing.T) {
			err := mustNew(t, tt.cfg, now).Verify(request(tt.headers...), []byte("{}"))
			code := hookhub.EUNAUTHORIZED
			if tt.cfg.Scheme == "zendesk" {
				code = hookhub.EFORBIDDEN
			}
			wantErr(t, err, code, tt.msg)
		})
	}
}

func TestGenericTimestampForms(t *testing.T) {
	t.Parallel()
	cfg := hookhub.Verification{Scheme: "hmac", Secret: "generic", Header: "X-Sig", Signed: "timestamp+body", TimestampHeader: "X-Ts"}
	v := mustNew(t, cfg, time.Date(2021, 7, 25, 10, 0, 0, 0, time.UTC))
	// RFC 3339 timestamps are read too; this one is signed like the Zendesk vector.
	r := request("X-Ts", "2021-07-25T10:00:00Z", "X-Sig", "0000")
	wantErr(t, v.Verify(r, []byte("{}")), hookhub.EUNAUTHORIZED, reasonMismatch)
	r = request("X-Ts", "2021-07-25T09:00:00Z", "X-Sig", "0000")
	wantErr(t, v.Verify(r, []byte("{}")), hookhub.EUNAUTHORIZED, reasonStale)
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}
