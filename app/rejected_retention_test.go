package app

import (
	"testing"
	"time"
)

// TestRejectedRequestsKeptBriefly: a refused request is visible in the
// inspector, then pruned once it is older than a day; accepted events stay.
func TestRejectedRequestsKeptBriefly(t *testing.T) {
	h := startHubWith(t, "", func(m *Main) { m.retentionInterval = 20 * time.Millisecond })
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "tok",
		"verification": map[string]any{"scheme": "token", "secret": "right"}}, &src)
	if code, _ := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json", "X-Webhook-Token": "wrong"}, []byte(`{}`)); code != 401 {
		t.Fatalf("wrong token: %d", code)
	}
	if code, _ := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json", "X-Webhook-Token": "right"}, []byte(`{}`)); code != 200 {
		t.Fatalf("right token: %d", code)
	}
	if n := len(h.events("status=rejected")); n != 1 {
		t.Fatalf("rejected requests visible: %d", n)
	}
	h.clock.set(time.Now().Add(25 * time.Hour))
	// Only the list is read while pruning runs: an event listed may be gone
	// by the time it would be fetched.
	eventually(t, "the rejected request pruned", func() bool {
		var l list[event]
		h.mustAPI(200, "GET", "/api/v1/events?status=rejected", nil, &l)
		return len(l.Data) == 0
	})
	if n := len(h.events("status=accepted")); n != 1 {
		t.Fatalf("accepted events after pruning: %d", n)
	}
}
