package signing_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// sign builds the signer for cfg at now and signs one message.
func sign(t *testing.T, cfg hookhub.SigningConfig, now time.Time, id string, ts time.Time, body string) http.Header {
	t.Helper()
	s, err := signing.New(cfg, now)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	h := http.Header{}
	s.Sign(h, id, ts, []byte(body))
	return h
}

func TestPublishedVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    hookhub.SigningConfig
		id     string
		ts     time.Time
		body   string
		header string
		want   string
	}{
		{
			name:   "standard webhooks spec vector",
			cfg:    hookhub.SigningConfig{Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
			id:     "msg_p5jXN8AQM9LWM0D4loKWxJek",
			ts:     time.Unix(1614265330, 0),
			body:   `{"test": 2432232314}`,
			header: "webhook-signature",
			want:   "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		},
		{
			name:   "github published vector",
			cfg:    hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: "It's a Secret to Everybody"},
			body:   "Hello, World!",
			header: "X-Hub-Signature-256",
			want:   "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
		},
		{
			name:   "hub signature custom header",
			cfg:    hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Header: "X-Sig", Secret: "It's a Secret to Everybody"},
			body:   "Hello, World!",
			header: "X-Sig",
			want:   "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
		},
		{
			name:   "zendesk vector",
			cfg:    hookhub.SigningConfig{Scheme: hookhub.SignTimestampBody, Secret: "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="},
			ts:     time.Date(2021, 7, 25, 10, 0, 0, 0, time.UTC),
			body:   `{"say": "hello"}`,
			header: "X-Hookhub-Signature",
			want:   "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk=",
		},
		{
			name: "zendesk vector with configured headers and non-UTC time",
			cfg: hookhub.SigningConfig{
				Scheme: hookhub.SignTimestampBody, Header: "X-Zendesk-Webhook-Signature",
				TimestampHeader: "X-Zendesk-Webhook-Signature-Timestamp",
				Secret:          "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=",
			},
			ts:     time.Date(2021, 7, 25, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
			body:   `{"say": "hello"}`,
			header: "X-Zendesk-Webhook-Signature",
			want:   "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := sign(t, tt.cfg, time.Unix(0, 0), tt.id, tt.ts, tt.body)
			if got := h.Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestTimestampBodyTimestampHeader(t *testing.T) {
	t.Parallel()
	cfg := hookhub.SigningConfig{Scheme: hookhub.SignTimestampBody, TimestampHeader: "X-TS", Secret: "s"}
	h := sign(t, cfg, time.Time{}, "", time.Date(2021, 7, 25, 12, 0, 0, 0, time.FixedZone("", 7200)), "{}")
	if got := h.Get("X-TS"); got != "2021-07-25T10:00:00Z" {
		t.Errorf("X-TS = %q", got)
	}
}

func TestStandardWebhooksHeaders(t *testing.T) {
	t.Parallel()
	h := sign(t, hookhub.SigningConfig{Secret: signing.NewSecret()}, time.Now(), "dlv_1", time.Unix(1700000000, 0), "{}")
	if h.Get("webhook-id") != "dlv_1" || h.Get("webhook-timestamp") != "1700000000" {
		t.Errorf("headers = %v", h)
	}
}

func TestStandardWebhooksVerifiesWithOfficialLibrary(t *testing.T) {
	t.Parallel()
	current, previous := signing.NewSecret(), signing.NewSecret()
	now := time.Now()
	rotating := hookhub.SigningConfig{Secret: current, PreviousSecret: previous, PreviousUntil: now.Add(time.Hour)}
	expired := hookhub.SigningConfig{Secret: current, PreviousSecret: previous, PreviousUntil: now}
	tests := []struct {
		name   string
		cfg    hookhub.SigningConfig
		verify string
		ok     bool
	}{
		{"current secret", hookhub.SigningConfig{Secret: current}, current, true},
		{"wrong secret", hookhub.SigningConfig{Secret: current}, previous, false},
		{"rotation, receiver knows current", rotating, current, true},
		{"rotation, receiver knows previous", rotating, previous, true},
		{"rotation over, previous refused", expired, previous, false},
		{"rotation over, current still works", expired, current, true},
	}
	body := []byte(`{"type":"incident.triggered"}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := sign(t, tt.cfg, now, "dlv_01", now, string(body))
			wh, err := standardwebhooks.NewWebhook(tt.verify)
			if err != nil {
				t.Fatal(err)
			}
			err = wh.Verify(body, h)
			if (err == nil) != tt.ok {
				t.Errorf("Verify = %v, want ok=%v (signature %q)", err, tt.ok, h.Get("webhook-signature"))
			}
		})
	}
}

func TestRotationSignatures(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	until := now.Add(time.Minute)
	tests := []struct {
		name   string
		cfg    hookhub.SigningConfig
		header string
		sep    string
		want   int
	}{
		{"standard webhooks lists both", hookhub.SigningConfig{Secret: "whsec_AAAA", PreviousSecret: "whsec_BBBB", PreviousUntil: until}, "webhook-signature", " ", 2},
		{"hub signature carries one", hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: "a", PreviousSecret: "b", PreviousUntil: until}, "X-Hub-Signature-256", ",", 1},
		{"timestamp body carries one", hookhub.SigningConfig{Scheme: hookhub.SignTimestampBody, Secret: "a", PreviousSecret: "b", PreviousUntil: until}, "X-Hookhub-Signature", ",", 1},
		{"no previous until", hookhub.SigningConfig{Secret: "whsec_AAAA", PreviousSecret: "whsec_BBBB"}, "webhook-signature", " ", 1},
		{"no previous secret", hookhub.SigningConfig{Secret: "whsec_AAAA", PreviousUntil: until}, "webhook-signature", " ", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := sign(t, tt.cfg, now, "id", now, "body")
			if vs := h.Values(tt.header); len(vs) != 1 {
				t.Fatalf("%s sent %d times, want once", tt.header, len(vs))
			}
			parts := strings.Split(h.Get(tt.header), tt.sep)
			if len(parts) != tt.want || parts[0] == "" {
				t.Fatalf("%s = %q, want %d values", tt.header, h.Get(tt.header), tt.want)
			}
			// The current secret signs first, so a receiver reading only the
			// first value keeps working.
			cur := tt.cfg
			cur.PreviousSecret = ""
			if first := sign(t, cur, now, "id", now, "body").Get(tt.header); parts[0] != first {
				t.Errorf("first value %q, want current secret's %q", parts[0], first)
			}
		})
	}
}

// githubValidate checks a signature header as go-github's ValidateSignature
// does: split at the first "=", pick the hash by its name, hex-decode the
// rest, compare the MAC.
func githubValidate(signature string, payload, secret []byte) bool {
	name, sig, ok := strings.Cut(signature, "=")
	hashes := map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New}
	h, known := hashes[name]
	if !ok || !known {
		return false
	}
	want, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	m := hmac.New(h, secret)
	m.Write(payload)
	return hmac.Equal(want, m.Sum(nil))
}

// octokitVerify checks a signature header as @octokit/webhooks-methods'
// verify does: the whole header must equal "sha256=" and the hex MAC.
func octokitVerify(secret, payload, signature string) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return hmac.Equal([]byte(signature), []byte("sha256="+hex.EncodeToString(m.Sum(nil))))
}

// TestHubSignatureRotationVerifiesWithGitHubLibraries signs during a
// rotation: GitHub's own verifiers must accept the request with the new
// secret, and a receiver that accepts both secrets must keep working.
func TestHubSignatureRotationVerifiesWithGitHubLibraries(t *testing.T) {
	t.Parallel()
	now := time.Now()
	body := `{"action":"opened"}`
	cfg := hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: "new-secret", PreviousSecret: "old-secret", PreviousUntil: now.Add(time.Hour)}
	sig := sign(t, cfg, now, "dlv_1", now, body).Get("X-Hub-Signature-256")
	if !githubValidate(sig, []byte(body), []byte("new-secret")) || !octokitVerify("new-secret", body, sig) {
		t.Fatalf("GitHub's verifiers refuse %q with the new secret", sig)
	}
	if githubValidate(sig, []byte(body), []byte("old-secret")) || octokitVerify("old-secret", body, sig) {
		t.Fatalf("%q verifies with the old secret: the header is not the new secret's alone", sig)
	}
	acceptsBoth := func(sig string) bool {
		return githubValidate(sig, []byte(body), []byte("new-secret")) || githubValidate(sig, []byte(body), []byte("old-secret"))
	}
	before := sign(t, hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: "old-secret"}, now, "dlv_1", now, body)
	if !acceptsBoth(before.Get("X-Hub-Signature-256")) || !acceptsBoth(sig) {
		t.Fatal("a receiver accepting both secrets does not verify before and during the rotation")
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  hookhub.SigningConfig
		want string
	}{
		{"unknown scheme", hookhub.SigningConfig{Scheme: "md5", Secret: "x"}, `unknown signing scheme "md5"`},
		{"missing secret", hookhub.SigningConfig{Scheme: hookhub.SignHubSignature}, "needs a secret"},
		{"default scheme needs secret", hookhub.SigningConfig{}, `"standard-webhooks" needs a secret`},
		{"not base64", hookhub.SigningConfig{Secret: "whsec_not base64!"}, "followed by base64"},
		{"bad previous secret", hookhub.SigningConfig{Secret: "whsec_AAAA", PreviousSecret: "%%", PreviousUntil: time.Now().Add(time.Hour)}, "followed by base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := signing.New(tt.cfg, time.Now())
			if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestNoneAddsNothing(t *testing.T) {
	t.Parallel()
	h := sign(t, hookhub.SigningConfig{Scheme: hookhub.SignNone}, time.Now(), "id", time.Now(), "body")
	if len(h) != 0 {
		t.Errorf("headers = %v, want none", h)
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	a, b := signing.NewSecret(), signing.NewSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "whsec_"))
	if !strings.HasPrefix(a, "whsec_") || err != nil || len(key) != 24 {
		t.Errorf("NewSecret() = %q: want whsec_ + base64 of 24 bytes (err %v)", a, err)
	}
}

func TestSchemes(t *testing.T) {
	t.Parallel()
	got := strings.Join(signing.Schemes(), ",")
	if got != "hub-signature,none,standard-webhooks,timestamp-body" {
		t.Errorf("Schemes() = %s", got)
	}
}
