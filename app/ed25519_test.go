package app

import (
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub/delivery"
)

// signingOut is the signing part of a destination as the API shows it.
type signingOut struct {
	Scheme            string     `json:"scheme"`
	Algorithm         string     `json:"algorithm"`
	PublicKey         string     `json:"public_key"`
	PreviousPublicKey string     `json:"previous_public_key"`
	PreviousUntil     *time.Time `json:"previous_secret_until"`
}

type signedDestination struct {
	ID      string     `json:"id"`
	Secret  string     `json:"secret"`
	Signing signingOut `json:"signing"`
}

// TestEd25519DestinationToStandardSource sends ed25519-signed deliveries to
// one of Hookhub's own Standard Webhooks sources that holds only the public
// key: what one side signs the other verifies, across a key rotation and a
// switch back to HMAC.
func TestEd25519DestinationToStandardSource(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		var dst signedDestination
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{
			"name": "asymmetric", "url": rcv.srv.URL,
			"signing": map[string]any{"scheme": "standard-webhooks", "algorithm": "ed25519"},
			"filter":  map[string]any{"event_types": []string{"order.*"}},
		}, &dst)
		if dst.Secret != "" || !strings.HasPrefix(dst.Signing.PublicKey, "whpk_") || dst.Signing.Algorithm != "ed25519" {
			t.Fatalf("created ed25519 destination: %+v", dst)
		}
		eventually(t, "the ping", func() bool { return len(rcv.withEvent("ping")) == 1 })
		if sig := rcv.withEvent("ping")[0].header.Get("webhook-signature"); !strings.HasPrefix(sig, "v1a,") || strings.Contains(sig, " ") {
			t.Fatalf("ping webhook-signature = %q, want one v1a signature", sig)
		}

		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{
			"name": "from hookhub", "type": "standard-webhooks",
			"verification": map[string]any{"scheme": "standard-webhooks", "secret": dst.Signing.PublicKey},
		}, &src)
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"url": src.URL}, nil)
		publish := func(n int) {
			t.Helper()
			time.Sleep(delivery.DefaultDestinationTTL) // the engine's cached destination expires
			h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "order.created", "payload": map[string]any{"n": n}}, nil)
		}
		verified := func(n int) bool {
			evs := h.events("source_id=" + src.ID)
			return len(evs) == n && evs[0].Status == "accepted" && evs[0].Verification.Result == "verified"
		}
		publish(1)
		eventually(t, "the first event verified by the source", func() bool { return verified(1) })

		// A rotation shows the new public key and the old one; the source,
		// told only the new key, keeps verifying during the grace period.
		var rotated signedDestination
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", map[string]any{"grace_seconds": 3600}, &rotated)
		if rotated.Secret != "" || rotated.Signing.PublicKey == dst.Signing.PublicKey ||
			rotated.Signing.PreviousPublicKey != dst.Signing.PublicKey || rotated.Signing.PreviousUntil == nil {
			t.Fatalf("rotation answer: %+v", rotated)
		}
		h.mustAPI(200, "PATCH", "/api/v1/sources/"+src.ID, map[string]any{
			"verification": map[string]any{"scheme": "standard-webhooks", "secret": rotated.Signing.PublicKey}}, nil)
		publish(2)
		eventually(t, "the second event verified with the new key", func() bool { return verified(2) })
		var got signedDestination
		h.mustAPI(200, "GET", "/api/v1/destinations/"+dst.ID, nil, &got)
		if got.Secret != "" || got.Signing.PublicKey != rotated.Signing.PublicKey || got.Signing.PreviousPublicKey != dst.Signing.PublicKey {
			t.Fatalf("destination read after rotation: %+v", got)
		}

		// Back to HMAC: the answer shows the new whsec_ secret once, and the
		// ed25519 key keeps signing for the grace period, so the source,
		// still holding the public key, verifies.
		var toHMAC signedDestination
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{
			"signing": map[string]any{"scheme": "standard-webhooks", "algorithm": "hmac-sha256"}}, &toHMAC)
		if !strings.HasPrefix(toHMAC.Secret, "whsec_") || toHMAC.Signing.PublicKey != "" ||
			toHMAC.Signing.PreviousPublicKey != rotated.Signing.PublicKey {
			t.Fatalf("switch to hmac-sha256: %+v", toHMAC)
		}
		publish(3)
		eventually(t, "the third event verified during the switch", func() bool { return verified(3) })
		h.mustAPI(200, "PATCH", "/api/v1/sources/"+src.ID, map[string]any{
			"verification": map[string]any{"scheme": "standard-webhooks", "secret": toHMAC.Secret}}, nil)
		publish(4)
		eventually(t, "the fourth event verified with the shared secret", func() bool { return verified(4) })

		// ed25519 is for standard-webhooks alone.
		h.mustAPI(400, "POST", "/api/v1/destinations", map[string]any{"name": "bad", "url": rcv.srv.URL,
			"signing": map[string]any{"scheme": "hub-signature", "algorithm": "ed25519"}}, nil)
		h.mustAPI(400, "POST", "/api/v1/destinations", map[string]any{"name": "bad", "url": rcv.srv.URL,
			"signing": map[string]any{"scheme": "standard-webhooks", "algorithm": "rsa"}}, nil)
	})
}
