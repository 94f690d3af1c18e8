package verify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// TestSignReproducesPublishedVectors: signing a vector's body with its
// secret, time and id gives the published signature.
func TestSignReproducesPublishedVectors(t *testing.T) {
	n := 0
	for _, v := range vectors(t) {
		// Skipped: public keys cannot sign; Svix's header names and a
		// header holding two signatures are forms senders use that Sign,
		// which writes one standard form, does not produce.
		if strings.HasPrefix(v.cfg.Secret, "whpk_") || v.cfg.PreviousSecret != "" ||
			strings.Contains(v.name, "svix") || strings.Contains(v.name, "second of two") {
			continue
		}
		h := http.Header{}
		for k, val := range v.headers {
			if http.CanonicalHeaderKey(k) != http.CanonicalHeaderKey(v.sig) {
				h.Set(k, val)
			}
		}
		now := v.now
		if now.IsZero() {
			now = time.Now()
		}
		if err := Sign(v.cfg, h, []byte(v.body), now); err != nil {
			t.Errorf("%s: %v", v.name, err)
			continue
		}
		if got, want := h.Get(v.sig), v.headers[v.sig]; got != want {
			t.Errorf("%s: signed %s = %q, published %q", v.name, v.sig, got, want)
		}
		n++
	}
	if n < 8 {
		t.Fatalf("only %d vectors were signed", n)
	}
}

// TestEverySchemeSignsWhatItVerifies signs a request with every scheme and
// checks that the same scheme's verifier accepts it and refuses another
// body.
func TestEverySchemeSignsWhatItVerifies(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	for _, scheme := range Schemes() {
		cfg := hookhub.Verification{Scheme: scheme, Secret: secret}
		switch scheme {
		case "basic":
			cfg = hookhub.Verification{Scheme: scheme, Username: "u", Password: "p4ssword"}
		case "hmac":
			cfg.Header, cfg.Signed, cfg.TimestampHeader, cfg.IDHeader = "X-Sig", SignedIDTimestampBody, "X-Ts", "X-Id"
		}
		t.Run(scheme, func(t *testing.T) {
			h := http.Header{}
			body := []byte(`{"hello":"world"}`)
			if err := Sign(cfg, h, body, now); err != nil {
				t.Fatal(err)
			}
			v, err := New(cfg, func() time.Time { return now.Add(time.Minute) })
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("POST", "/hooks/k", nil)
			r.Header = h
			if err := v.Verify(r, body); err != nil {
				t.Fatalf("own signature refused: %v (headers %v)", err, h)
			}
			if signsBody(v) && v.Verify(r, []byte(`{"hello":"there"}`)) == nil {
				t.Fatal("a changed body still verifies")
			}
		})
	}
}

// signsBody reports whether a verifier's signature covers the body.
func signsBody(v Verifier) bool {
	switch v.(type) {
	case *None, *Basic, *Token:
		return false
	}
	return true
}
