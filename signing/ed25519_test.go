package signing_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	circl "github.com/cloudflare/circl/sign/ed25519"
	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
)

// RFC 8032 §7.1 TEST 1: the secret key (seed) and the public key it derives.
const (
	rfc8032Seed   = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
)

// whsk returns a whsk_ key of the given hex bytes (a seed or a full key).
func whsk(t *testing.T, hexKey string) string {
	t.Helper()
	b, err := hex.DecodeString(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	return "whsk_" + base64.StdEncoding.EncodeToString(b)
}

func TestEd25519PublishedVector(t *testing.T) {
	t.Parallel()
	wantPub := "whpk_" + base64.StdEncoding.EncodeToString(mustHex(t, rfc8032Public))
	for _, key := range []string{whsk(t, rfc8032Seed), whsk(t, rfc8032Seed+rfc8032Public)} {
		pub, err := signing.PublicKey(key)
		if err != nil || pub != wantPub {
			t.Fatalf("PublicKey(%s) = %q, %v; want RFC 8032's %q", key, pub, err, wantPub)
		}
		// The message and timestamp of the Standard Webhooks spec's v1
		// vector, signed under RFC 8032's key; the signature was computed
		// with OpenSSL 3 (openssl pkeyutl -sign -rawin), an implementation
		// independent of Go's. ed25519 is deterministic, so it is exact.
		cfg := hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: key}
		h := sign(t, cfg, time.Unix(0, 0), "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), `{"test": 2432232314}`)
		want := "v1a,fldxM4gAKugP6nnt1hdz3sgGfZ6d99nzrMFnZOELIxbzEHoVmAb2ADpkJK7zgPePmPsle0zV9jSeGlHFG2NVAw=="
		if got := h.Get("webhook-signature"); got != want {
			t.Errorf("webhook-signature = %q, want %q", got, want)
		}
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEd25519VerifiesWithSecondImplementation checks fresh keys and random
// bodies against Cloudflare's CIRCL, an ed25519 written apart from Go's.
func TestEd25519VerifiesWithSecondImplementation(t *testing.T) {
	t.Parallel()
	for i := range 50 {
		key := signing.NewKeyPair()
		pubText, err := signing.PublicKey(key)
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(pubText, "whpk_"))
		body := make([]byte, i*37)
		rand.Read(body)
		ts := time.Unix(1700000000+int64(i), 0)
		h := sign(t, hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: key}, ts, "dlv_x", ts, string(body))
		sig, ok := strings.CutPrefix(h.Get("webhook-signature"), "v1a,")
		raw, err := base64.StdEncoding.DecodeString(sig)
		if !ok || err != nil {
			t.Fatalf("webhook-signature = %q", h.Get("webhook-signature"))
		}
		msg := "dlv_x." + h.Get("webhook-timestamp") + "." + string(body)
		if !circl.Verify(circl.PublicKey(pub), []byte(msg), raw) {
			t.Fatalf("CIRCL rejects the signature of body %d", i)
		}
		if circl.Verify(circl.PublicKey(pub), []byte(msg+"x"), raw) {
			t.Fatal("CIRCL accepts the signature of another message")
		}
	}
}

func TestEd25519Rotation(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	current, previous, shared := signing.NewKeyPair(), signing.NewKeyPair(), signing.NewSecret()
	tests := []struct {
		name string
		cfg  hookhub.SigningConfig
		want []string // signature versions in order
	}{
		{"one key", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: current}, []string{"v1a"}},
		{"rotation", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: current, PreviousSecret: previous, PreviousUntil: now.Add(time.Hour)}, []string{"v1a", "v1a"}},
		{"rotation over", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: current, PreviousSecret: previous, PreviousUntil: now}, []string{"v1a"}},
		{"hmac to ed25519", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: current, PreviousSecret: shared, PreviousUntil: now.Add(time.Hour)}, []string{"v1a", "v1"}},
		{"ed25519 to hmac", hookhub.SigningConfig{Algorithm: hookhub.SignAlgHMACSHA256, Secret: shared, PreviousSecret: previous, PreviousUntil: now.Add(time.Hour)}, []string{"v1", "v1a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := sign(t, tt.cfg, now, "id", now, "body")
			parts := strings.Fields(h.Get("webhook-signature"))
			if len(parts) != len(tt.want) {
				t.Fatalf("webhook-signature = %q, want %v", h.Get("webhook-signature"), tt.want)
			}
			for i, p := range parts {
				if v, _, _ := strings.Cut(p, ","); v != tt.want[i] {
					t.Errorf("signature %d is %s, want %s", i, v, tt.want[i])
				}
			}
		})
	}
}

func TestEd25519Errors(t *testing.T) {
	t.Parallel()
	seed := whsk(t, rfc8032Seed)
	mismatched := whsk(t, rfc8032Seed+strings.Repeat("00", 32))
	tests := []struct {
		name string
		cfg  hookhub.SigningConfig
		want string
	}{
		{"ed25519 with whsec", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: signing.NewSecret()}, "needs a whsk_"},
		{"hmac with whsk", hookhub.SigningConfig{Secret: seed}, "is for algorithm ed25519"},
		{"unknown algorithm", hookhub.SigningConfig{Algorithm: "rsa", Secret: seed}, `"rsa" is not one of`},
		{"short key", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: "whsk_AAAA"}, "32 or 64 bytes"},
		{"not base64", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: "whsk_%%"}, "followed by base64"},
		{"halves disagree", hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: mismatched}, "does not match"},
		{"ed25519 on hub-signature", hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Algorithm: hookhub.SignAlgEd25519, Secret: "s"}, "ed25519 is for standard-webhooks"},
		{"whsk on hub-signature", hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: seed}, "cannot use an ed25519"},
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

func TestKeyMatches(t *testing.T) {
	t.Parallel()
	ed, shared := signing.NewKeyPair(), signing.NewSecret()
	sw, hub := hookhub.SignStandardWebhooks, hookhub.SignHubSignature
	tests := []struct {
		cfg  hookhub.SigningConfig
		want bool
	}{
		{hookhub.SigningConfig{Scheme: sw, Algorithm: hookhub.SignAlgEd25519, Secret: ed}, true},
		{hookhub.SigningConfig{Scheme: sw, Algorithm: hookhub.SignAlgEd25519, Secret: shared}, false},
		{hookhub.SigningConfig{Scheme: sw, Secret: shared}, true},
		{hookhub.SigningConfig{Scheme: sw, Algorithm: hookhub.SignAlgHMACSHA256, Secret: ed}, false},
		{hookhub.SigningConfig{Scheme: hub, Secret: ed}, false},
		{hookhub.SigningConfig{Scheme: hub, Secret: shared}, true},
	}
	for i, tt := range tests {
		if got := signing.KeyMatches(tt.cfg); got != tt.want {
			t.Errorf("%d: KeyMatches(%+v) = %v", i, tt.cfg, got)
		}
	}
}

func TestNewSecretFor(t *testing.T) {
	t.Parallel()
	if s := signing.NewSecretFor(hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519}); !signing.IsSigningKey(s) {
		t.Errorf("ed25519 secret = %q", s)
	}
	if s := signing.NewSecretFor(hookhub.SigningConfig{}); !strings.HasPrefix(s, "whsec_") {
		t.Errorf("hmac secret = %q", s)
	}
	if _, err := signing.PublicKey(signing.NewSecret()); err == nil {
		t.Error("PublicKey of a whsec_ secret succeeded")
	}
}
