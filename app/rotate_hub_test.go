package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// hubVerifies checks a request as GitHub's verifiers do: the one
// X-Hub-Signature-256 value must be "sha256=" and the hex MAC of the body.
func hubVerifies(secret string, r sinkRequest) bool {
	vs := r.header.Values("X-Hub-Signature-256")
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(r.body))
	return len(vs) == 1 && hmac.Equal([]byte(vs[0]), []byte("sha256="+hex.EncodeToString(m.Sum(nil))))
}

// TestHubSignatureRotation rotates a hub-signature destination's secret with
// a grace period: from then on each request carries exactly one signature,
// the new secret's, which GitHub-style verifiers accept.
// Signing does not depend on the store; TestDestinationSecretRotation
// covers storing rotations on both.
func TestHubSignatureRotation(t *testing.T) {
	t.Parallel()
	h := startHub(t, "")
	rcv := newSink(t)
	dst := h.createDestination("hub", rcv.srv.URL, map[string]any{"signing": map[string]any{"scheme": "hub-signature"}})
	h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
	if r := rcv.withEvent("hookhub.test"); len(r) != 1 || !hubVerifies(dst.Secret, r[0]) {
		t.Fatalf("before rotation: %v", r)
	}
	var rotated destination
	h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/rotate-secret", map[string]any{"grace_seconds": 3600}, &rotated)
	h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
	r := rcv.withEvent("hookhub.test")[1]
	if !hubVerifies(rotated.Secret, r) {
		t.Fatalf("during the grace period the request does not verify with the new secret: %q", r.header.Values("X-Hub-Signature-256"))
	}
	if hubVerifies(dst.Secret, r) {
		t.Fatal("during the grace period the old secret still signs the header")
	}
}
