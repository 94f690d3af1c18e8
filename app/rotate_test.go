package app

import (
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// verifiesWith reports whether a request verifies with secret under the
// Standard Webhooks library.
func verifiesWith(t *testing.T, secret string, r sinkRequest) bool {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	return wh.Verify([]byte(r.body), r.header) == nil
}

// signatures splits a request's webhook-signature into requests that carry
// one signature each.
func signatures(r sinkRequest) []sinkRequest {
	var out []sinkRequest
	for _, sig := range strings.Fields(r.header.Get("webhook-signature")) {
		h := r.header.Clone()
		h.Set("webhook-signature", sig)
		out = append(out, sinkRequest{header: h, body: r.body})
	}
	return out
}

func TestDestinationSecretRotation(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		dst := h.createDestination("signed", rcv.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"note.*"}}})
		oldSecret := dst.Secret
		eventually(t, "the ping", func() bool { return len(rcv.withEvent("ping")) == 1 })
		ping := rcv.withEvent("ping")[0]
		if !verifiesWith(t, oldSecret, ping) || len(signatures(ping)) != 1 {
			t.Fatalf("ping not signed with the secret alone: %v", ping.header)
		}

		var rotated destination
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", map[string]any{"grace_seconds": 3600}, &rotated)
		newSecret := rotated.Secret
		if newSecret == "" || newSecret == oldSecret || rotated.Signing.PreviousUntil == nil ||
			rotated.Signing.PreviousUntil.Sub(time.Now()) < 59*time.Minute {
			t.Fatalf("rotation answer: %+v", rotated)
		}
		var got destination
		h.mustAPI(200, "GET", "/api/v1/destinations/"+dst.ID, nil, &got)
		if got.Secret != "" || got.Signing.PreviousUntil == nil {
			t.Fatalf("destination after rotation: %+v", got)
		}

		// checkBoth verifies a request signed during the grace period: two
		// signatures, the new secret's first, and each secret verifies.
		checkBoth := func(what string, r sinkRequest) {
			t.Helper()
			sigs := signatures(r)
			if len(sigs) != 2 {
				t.Fatalf("%s: webhook-signature %q, want two signatures", what, r.header.Get("webhook-signature"))
			}
			if !verifiesWith(t, newSecret, sigs[0]) || !verifiesWith(t, oldSecret, sigs[1]) {
				t.Fatalf("%s: signatures do not match the new and the old secret in that order", what)
			}
			if !verifiesWith(t, newSecret, r) || !verifiesWith(t, oldSecret, r) {
				t.Fatalf("%s: the request does not verify with both secrets", what)
			}
		}
		// A test send reads the destination afresh.
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
		checkBoth("test send", rcv.withEvent("hookhub.test")[0])

		// Queued deliveries pick the rotation up at once, though the engine
		// had the destination cached from the ping.
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "note.added", "payload": map[string]any{"n": 1}}, nil)
		eventually(t, "the event", func() bool { return len(rcv.withEvent("note.added")) == 1 })
		checkBoth("event", rcv.withEvent("note.added")[0])

		// Past the grace period only the new secret signs.
		h.clock.set(time.Now().Add(2 * time.Hour))
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
		h.clock.set(time.Time{})
		late := rcv.withEvent("hookhub.test")[1]
		if len(signatures(late)) != 1 {
			t.Fatalf("after the grace period: webhook-signature %q", late.header.Get("webhook-signature"))
		}
		// The request was signed two hours ahead, so its timestamp is not checked.
		if wh, _ := standardwebhooks.NewWebhook(newSecret); wh.VerifyIgnoringTimestamp([]byte(late.body), late.header) != nil {
			t.Fatal("after the grace period the new secret does not verify")
		}
		if wh, _ := standardwebhooks.NewWebhook(oldSecret); wh.VerifyIgnoringTimestamp([]byte(late.body), late.header) == nil {
			t.Fatal("after the grace period the old secret still verifies")
		}

		// A rotation without grace drops the old secret at once.
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", map[string]any{"grace_seconds": 0}, &rotated)
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
		last := rcv.withEvent("hookhub.test")[2]
		if len(signatures(last)) != 1 || !verifiesWith(t, rotated.Secret, last) || verifiesWith(t, newSecret, last) {
			t.Fatalf("rotation without grace: %q", last.header.Get("webhook-signature"))
		}

		noneDst := h.createDestination("unsigned", rcv.srv.URL, map[string]any{"signing": map[string]any{"scheme": "none"}})
		if noneDst.Secret != "" {
			t.Fatalf("unsigned destination got a secret")
		}
		h.mustAPI(409, "POST", "/api/v1/destinations/"+noneDst.ID+"/rotate-secret", nil, nil)
		// Switching it to signed shows its first secret once, and it signs.
		var signed destination
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+noneDst.ID, map[string]any{"signing": map[string]any{"scheme": "standard-webhooks"}}, &signed)
		if !strings.HasPrefix(signed.Secret, "whsec_") {
			t.Fatalf("destination switched to signed answered secret %q", signed.Secret)
		}
		var again destination
		h.mustAPI(200, "GET", "/api/v1/destinations/"+noneDst.ID, nil, &again)
		if again.Secret != "" {
			t.Fatal("the secret is shown again after the switch")
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+noneDst.ID+"/test", nil, nil)
		if tests := rcv.withEvent("hookhub.test"); !verifiesWith(t, signed.Secret, tests[len(tests)-1]) {
			t.Fatal("the new secret does not verify the test alert")
		}
		h.mustAPI(400, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", map[string]any{"grace_seconds": -1}, nil)
	})
}
