package verify

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// vector is one published or recomputed signature from
// testdata (see SIGNATURES.md in the shared fixtures) with what to tamper with.
type vector struct {
	name     string
	cfg      hookhub.Verification
	body     string
	headers  map[string]string
	now      time.Time // zero when the scheme signs no timestamp
	sig      string    // header holding the signature
	ts       string    // header holding the timestamp; "" when none is signed
	tsValue  string    // the timestamp as it appears inside header ts
	required []string  // headers whose absence must be reported by name
	code     string    // failure code; EUNAUTHORIZED when empty
}

func vectors(t *testing.T) []vector {
	t.Helper()
	slackBody, err := os.ReadFile("testdata/slack-body.txt")
	if err != nil {
		t.Fatal(err)
	}
	return []vector{
		{
			name: "github published",
			cfg:  hookhub.Verification{Scheme: "github", Secret: "It's a Secret to Everybody"},
			body: "Hello, World!",
			headers: map[string]string{
				"X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
			},
			sig: "X-Hub-Signature-256", required: []string{"X-Hub-Signature-256"},
		},
		{
			name:    "github legacy sha1 recomputed",
			cfg:     hookhub.Verification{Scheme: "github", Secret: "It's a Secret to Everybody"},
			body:    "Hello, World!",
			headers: map[string]string{"X-Hub-Signature": "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"},
			sig:     "X-Hub-Signature",
		},
		{
			name: "standard webhooks published",
			cfg:  hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
			body: `{"test": 2432232314}`,
			headers: map[string]string{
				"webhook-id":        "msg_p5jXN8AQM9LWM0D4loKWxJek",
				"webhook-timestamp": "1614265330",
				"webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
			},
			now: time.Unix(1614265330, 0), sig: "webhook-signature", ts: "webhook-timestamp", tsValue: "1614265330",
			required: []string{"webhook-signature", "webhook-id", "webhook-timestamp"},
		},
		{
			name: "svix headers, same vector",
			cfg:  hookhub.Verification{Scheme: "standard-webhooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
			body: `{"test": 2432232314}`,
			headers: map[string]string{
				"svix-id":        "msg_p5jXN8AQM9LWM0D4loKWxJek",
				"svix-timestamp": "1614265330",
				"svix-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
			},
			now: time.Unix(1614265330, 0), sig: "svix-signature", ts: "svix-timestamp", tsValue: "1614265330",
			required: []string{"svix-id", "svix-timestamp"},
		},
		{
			name: "slack published",
			cfg:  hookhub.Verification{Scheme: "slack", Secret: "8f742231b10e8888abcd99yyyzzz85a5"},
			body: string(slackBody),
			headers: map[string]string{
				"X-Slack-Request-Timestamp": "1531420618",
				"X-Slack-Signature":         "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
			},
			now: time.Unix(1531420618, 0), sig: "X-Slack-Signature", ts: "X-Slack-Request-Timestamp", tsValue: "1531420618",
			required: []string{"X-Slack-Signature", "X-Slack-Request-Timestamp"},
		},
		{
			name: "stripe recomputed",
			cfg:  hookhub.Verification{Scheme: "stripe", Secret: "whsec_test_secret"},
			body: `{"id":"evt_test","object":"event"}`,
			headers: map[string]string{
				"Stripe-Signature": "t=1492774577,v1=691252e266ce41cb94d709c84e9580d4172b117a510bbc81723f657d2cd5d215",
			},
			now: time.Unix(1492774577, 0), sig: "Stripe-Signature", ts: "Stripe-Signature", tsValue: "1492774577",
			required: []string{"Stripe-Signature"},
		},
		{
			name:     "shopify recomputed",
			cfg:      hookhub.Verification{Scheme: "shopify", Secret: "hush"},
			body:     `{"id":1}`,
			headers:  map[string]string{"X-Shopify-Hmac-Sha256": "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="},
			sig:      "X-Shopify-Hmac-Sha256",
			required: []string{"X-Shopify-Hmac-Sha256"},
		},
		{
			name: "zendesk recomputed",
			cfg:  hookhub.Verification{Scheme: "zendesk", Secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="},
			body: `{"say": "hello"}`,
			headers: map[string]string{
				"X-Zendesk-Webhook-Signature":           "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk=",
				"X-Zendesk-Webhook-Signature-Timestamp": "2021-07-25T10:00:00Z",
			},
			now: time.Date(2021, 7, 25, 10, 0, 0, 0, time.UTC), sig: "X-Zendesk-Webhook-Signature",
			ts: "X-Zendesk-Webhook-Signature-Timestamp", tsValue: "2021-07-25T10:00:00Z",
			required: []string{"X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp"},
			code:     hookhub.EFORBIDDEN,
		},
		{
			name:     "snyk ping recomputed",
			cfg:      hookhub.Verification{Scheme: "snyk", Secret: "snyk-secret"},
			body:     "{\"webhookId\": \"d3cf26b3-2d77-497b-bce2-23b33cc15362\"}\n",
			headers:  map[string]string{"X-Hub-Signature": "sha256=b6aefd58b60c10b39b7a827b3c5eeb74c3aed67df1748a01eed5ff53ae428041"},
			sig:      "X-Hub-Signature",
			required: []string{"X-Hub-Signature"},
		},
		{
			name: "pagerduty recomputed, second of two signatures",
			cfg:  hookhub.Verification{Scheme: "pagerduty", Secret: "pd-secret"},
			body: `{"event":{"id":"01DEN7E5B4Y5ZN5IOPEKCTKGZE","event_type":"incident.triggered"}}`,
			headers: map[string]string{
				"X-PagerDuty-Signature": "v1=ab633717177d7b67a7aaf9e7e905b37e381594caa16602c1d503ebee1deeeeeb,v1=ca104bda83dcc303bea622eebe5dcb88dd1ad1a0393bff2ffdd022c822a640ed",
			},
			sig: "X-PagerDuty-Signature", required: []string{"X-PagerDuty-Signature"},
		},
		{
			name: "generic hmac sha512 base64 timestamp.body",
			cfg: hookhub.Verification{Scheme: "hmac", Secret: "generic", Header: "X-Sig", Algorithm: "sha512",
				Encoding: "base64", Signed: "timestamp.body", TimestampHeader: "X-Ts"},
			body: `{"a":1}`,
			headers: map[string]string{
				"X-Ts":  "1700000000",
				"X-Sig": "dpJhqHNXdwJsVboK9H0PnkpVXFIAMus44aaduqisbUIXI4Rp5sA1HKSqVZDmYainqeoDPx2gKZBw4mWTZaHiOg==",
			},
			now: time.Unix(1700000000, 0), sig: "X-Sig", ts: "X-Ts", tsValue: "1700000000",
			required: []string{"X-Sig", "X-Ts"},
		},
		{
			name: "generic hmac sha1 hex id.timestamp.body with prefix",
			cfg: hookhub.Verification{Scheme: "hmac", Secret: "generic", Header: "X-Sig", Algorithm: "sha1",
				Prefix: "sha1=", Signed: "id.timestamp.body", TimestampHeader: "X-Ts", IDHeader: "X-Id"},
			body: `{"a":1}`,
			headers: map[string]string{
				"X-Ts": "1700000000", "X-Id": "id_1",
				"X-Sig": "sha1=4cda6c1c0d0f97a9d0ea69a623fe95b0547edbb7",
			},
			now: time.Unix(1700000000, 0), sig: "X-Sig", ts: "X-Ts", tsValue: "1700000000",
			required: []string{"X-Sig", "X-Ts", "X-Id"},
		},
		{
			name: "generic hmac default sha256 hex timestamp+body",
			cfg: hookhub.Verification{Scheme: "hmac", Secret: "generic", Header: "X-Sig",
				Signed: "timestamp+body", TimestampHeader: "X-Ts"},
			body: `{"a":1}`,
			headers: map[string]string{
				"X-Ts":  "1700000000",
				"X-Sig": "e48973253b2c15e125c54cb71421e29f315c971d04b5a8d4cf3d61abc4d29c52",
			},
			now: time.Unix(1700000000, 0), sig: "X-Sig", ts: "X-Ts", tsValue: "1700000000",
			required: []string{"X-Sig", "X-Ts"},
		},
	}
}

// check runs v's verifier on a request with headers and body.
func (v vector) check(t *testing.T, cfg hookhub.Verification, headers map[string]string, body string, now time.Time) error {
	t.Helper()
	ver, err := New(cfg, func() time.Time { return now })
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r := httptest.NewRequest(http.MethodPost, "/hooks/k", nil)
	for k, val := range headers {
		r.Header.Set(k, val)
	}
	return ver.Verify(r, []byte(body))
}

// wantFailure asserts err is v's failure code with reason, and that the
// message gives nothing away.
func (v vector) wantFailure(t *testing.T, err error, reason string) {
	t.Helper()
	code := v.code
	if code == "" {
		code = hookhub.EUNAUTHORIZED
	}
	var e *hookhub.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *hookhub.Error", err)
	}
	if e.Code != code || e.Message != reason {
		t.Fatalf("err = %s %q, want %s %q", e.Code, e.Message, code, reason)
	}
	for _, leak := range []string{v.cfg.Secret, v.headers[v.sig]} {
		if strings.Contains(err.Error(), leak) {
			t.Fatalf("error %q leaks a secret or signature", err)
		}
	}
}

// with returns a copy of headers with name set to value.
func with(headers map[string]string, name, value string) map[string]string {
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		out[k] = v
	}
	out[name] = value
	return out
}

// mutate changes the byte at i (from the end when negative) to another
// letter, which stays valid in hex-free text, base64 and secrets alike.
func mutate(s string, i int) string {
	if i < 0 {
		i += len(s)
	}
	c := byte('a')
	if s[i] == 'a' {
		c = 'b'
	}
	return s[:i] + string(c) + s[i+1:]
}

// bumpDigit changes the last digit of a timestamp by one second.
func bumpDigit(ts string) string {
	i := strings.LastIndexAny(ts, "0123456789")
	d := ts[i] + 1
	if d > '9' {
		d = '0'
	}
	return ts[:i] + string(d) + ts[i+1:]
}

func TestVectorsAccepted(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		t.Run(v.name, func(t *testing.T) {
			if err := v.check(t, v.cfg, v.headers, v.body, v.now); err != nil {
				t.Fatalf("valid vector rejected: %v", err)
			}
		})
	}
}

func TestVectorsTampered(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		t.Run(v.name, func(t *testing.T) {
			t.Run("body", func(t *testing.T) {
				for _, i := range []int{0, len(v.body) / 2, -1} {
					v.wantFailure(t, v.check(t, v.cfg, v.headers, mutate(v.body, i), v.now), reasonMismatch)
				}
			})
			t.Run("secret", func(t *testing.T) {
				cfg := v.cfg
				cfg.Secret = mutate(cfg.Secret, len(cfg.Secret)/2)
				v.wantFailure(t, v.check(t, cfg, v.headers, v.body, v.now), reasonMismatch)
			})
			t.Run("signature", func(t *testing.T) {
				h := with(v.headers, v.sig, mutate(v.headers[v.sig], -5))
				v.wantFailure(t, v.check(t, v.cfg, h, v.body, v.now), reasonMismatch)
			})
			t.Run("timestamp", func(t *testing.T) {
				if v.ts == "" {
					t.Skip("no signed timestamp")
				}
				h := with(v.headers, v.ts, strings.Replace(v.headers[v.ts], v.tsValue, bumpDigit(v.tsValue), 1))
				v.wantFailure(t, v.check(t, v.cfg, h, v.body, v.now), reasonMismatch)
			})
		})
	}
}

func TestVectorsTolerance(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		if v.ts == "" {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			for _, d := range []time.Duration{DefaultTolerance, -DefaultTolerance, time.Second - DefaultTolerance} {
				if err := v.check(t, v.cfg, v.headers, v.body, v.now.Add(d)); err != nil {
					t.Errorf("clock %v from the timestamp: %v", d, err)
				}
			}
			for _, d := range []time.Duration{DefaultTolerance + time.Second, -DefaultTolerance - time.Second, 48 * time.Hour} {
				v.wantFailure(t, v.check(t, v.cfg, v.headers, v.body, v.now.Add(d)), reasonStale)
			}
			cfg := v.cfg
			cfg.ToleranceSec = 10
			v.wantFailure(t, v.check(t, cfg, v.headers, v.body, v.now.Add(11*time.Second)), reasonStale)
			if err := v.check(t, cfg, v.headers, v.body, v.now.Add(-10*time.Second)); err != nil {
				t.Errorf("within a 10 s tolerance: %v", err)
			}
		})
	}
}

func TestVectorsRotation(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		t.Run(v.name, func(t *testing.T) {
			other := mutate(v.cfg.Secret, len(v.cfg.Secret)/2)
			cases := []struct {
				secret, previous string
				ok               bool
			}{
				{other, v.cfg.Secret, true}, // new secret saved, sender still signs with the old one
				{v.cfg.Secret, other, true}, // sender already switched
				{other, "", false},
				{other, mutate(other, -3), false},
			}
			for _, c := range cases {
				cfg := v.cfg
				cfg.Secret, cfg.PreviousSecret = c.secret, c.previous
				err := v.check(t, cfg, v.headers, v.body, v.now)
				if c.ok && err != nil {
					t.Errorf("secret %q previous %q: %v", c.secret, c.previous, err)
				} else if !c.ok {
					v.wantFailure(t, err, reasonMismatch)
				}
			}
		})
	}
}

func TestVectorsMissingHeaders(t *testing.T) {
	t.Parallel()
	for _, v := range vectors(t) {
		t.Run(v.name, func(t *testing.T) {
			for _, name := range v.required {
				h := with(v.headers, name, "")
				v.wantFailure(t, v.check(t, v.cfg, h, v.body, v.now), "missing "+name+" header")
			}
		})
	}
}
