package verify_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	circl "github.com/cloudflare/circl/sign/ed25519"
	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/verify"
)

// RFC 8032 §7.1 TEST 1: the public key (its seed is the signing package's
// vector).
const (
	rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
)

func b64hex(t *testing.T, s string) string {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func standardRequest(prefix, id, ts, sig string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "http://hookhub.test/hooks/x", nil)
	r.Header.Set(prefix+"-id", id)
	r.Header.Set(prefix+"-timestamp", ts)
	r.Header.Set(prefix+"-signature", sig)
	return r
}

func verifier(t *testing.T, now time.Time, keys ...string) verify.Verifier {
	t.Helper()
	cfg := hookhub.Verification{Scheme: "standard-webhooks", Secret: keys[0]}
	if len(keys) > 1 {
		cfg.PreviousSecret = keys[1]
	}
	v, err := verify.New(cfg, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestStandardV1aVector checks the v1a signature OpenSSL 3 computed over the
// Standard Webhooks spec's message under RFC 8032's key, and one-byte
// changes to it.
func TestStandardV1aVector(t *testing.T) {
	t.Parallel()
	id, ts, body := "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", `{"test": 2432232314}`
	sig := "v1a,fldxM4gAKugP6nnt1hdz3sgGfZ6d99nzrMFnZOELIxbzEHoVmAb2ADpkJK7zgPePmPsle0zV9jSeGlHFG2NVAw=="
	v := verifier(t, time.Unix(1614265330, 0), "whpk_"+b64hex(t, rfc8032Public))
	if err := v.Verify(standardRequest("webhook", id, ts, sig), []byte(body)); err != nil {
		t.Fatalf("published vector refused: %v", err)
	}
	if err := v.Verify(standardRequest("svix", id, ts, sig), []byte(body)); err != nil {
		t.Fatalf("published vector under svix-* headers refused: %v", err)
	}
	changed := []struct{ name, id, ts, sig, body string }{
		{"body", id, ts, sig, `{"test": 2432232315}`},
		{"id", "msg_p5jXN8AQM9LWM0D4loKWxJeK", ts, sig, body},
		{"timestamp", id, "1614265331", sig, body},
		{"signature", id, ts, strings.Replace(sig, "fldx", "fldy", 1), body},
	}
	for _, c := range changed {
		if err := v.Verify(standardRequest("webhook", c.id, c.ts, c.sig), []byte(c.body)); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
			t.Errorf("changed %s: err = %v, want EUNAUTHORIZED", c.name, err)
		}
	}
	if err := verifier(t, time.Unix(1614265330+301, 0), "whpk_"+b64hex(t, rfc8032Public)).Verify(standardRequest("webhook", id, ts, sig), []byte(body)); err == nil {
		t.Error("a signature outside the tolerance was accepted")
	}
}

// TestStandardV1aFromSecondImplementation verifies signatures made by
// Cloudflare's CIRCL, an ed25519 written apart from Go's.
func TestStandardV1aFromSecondImplementation(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	for i := range 20 {
		pub, priv, err := circl.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		body := make([]byte, 1+i*53)
		rand.Read(body)
		sig := "v1a," + base64.StdEncoding.EncodeToString(circl.Sign(priv, []byte("msg_"+ts+"."+ts+"."+string(body))))
		v := verifier(t, now, "whpk_"+base64.StdEncoding.EncodeToString(pub))
		if err := v.Verify(standardRequest("webhook", "msg_"+ts, ts, sig), body); err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
	}
}

// TestStandardVerifiesHookhubSigner closes the loop: what a destination
// signs, a source holding only the public keys accepts, through a rotation
// from one key pair to the next and from HMAC to ed25519.
func TestStandardVerifiesHookhubSigner(t *testing.T) {
	t.Parallel()
	now := time.Now()
	oldKey, newKey, shared := signing.NewKeyPair(), signing.NewKeyPair(), signing.NewSecret()
	oldPub, _ := signing.PublicKey(oldKey)
	newPub, _ := signing.PublicKey(newKey)
	body := []byte(`{"type":"order.created"}`)
	rotating := hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: newKey, PreviousSecret: oldKey, PreviousUntil: now.Add(time.Hour)}
	fromHMAC := hookhub.SigningConfig{Algorithm: hookhub.SignAlgEd25519, Secret: newKey, PreviousSecret: shared, PreviousUntil: now.Add(time.Hour)}
	tests := []struct {
		name string
		cfg  hookhub.SigningConfig
		keys []string
		ok   bool
	}{
		{"receiver has the new key", rotating, []string{newPub}, true},
		{"receiver still has the old key", rotating, []string{oldPub}, true},
		{"receiver has another key", rotating, []string{"whpk_" + b64hex(t, rfc8032Public)}, false},
		{"receiver still has the shared secret", fromHMAC, []string{shared}, true},
		{"receiver moved to the public key", fromHMAC, []string{newPub}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := signing.New(tt.cfg, now)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			s.Sign(h, "dlv_1", now, body)
			r := standardRequest("webhook", h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature"))
			err = verifier(t, now, tt.keys...).Verify(r, body)
			if (err == nil) != tt.ok {
				t.Errorf("Verify = %v, want ok=%v (signature %q)", err, tt.ok, h.Get("webhook-signature"))
			}
		})
	}
}
