package app

import (
	"testing"
)

// TestPauseHoldsAndResumeDelivers: a paused destination keeps receiving events
// but nothing is sent to it; its deliveries show as pending and held; resuming
// (by the action or by PATCH) sends everything it missed, once.
func TestPauseHoldsAndResumeDelivers(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		held, witness := newSink(t), newSink(t)
		filter := map[string]any{"filter": map[string]any{"event_types": []string{"order.*"}}}
		h.createDestination("witness", witness.srv.URL, filter)
		p := h.createDestination("paused", held.srv.URL, map[string]any{
			"paused": true, "filter": map[string]any{"event_types": []string{"order.*"}}})

		publish := func(n int) {
			for range n {
				h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "order.created", "payload": map[string]any{}}, nil)
			}
		}
		publish(3)
		// The witness gets the same events from the same queue; once it has
		// them, the paused destination would have had them too.
		eventually(t, "the witness's events", func() bool { return len(witness.withEvent("order.created")) == 3 })
		if n := len(held.requests()); n != 0 {
			t.Fatalf("paused destination received %d requests", n)
		}
		var pending []deliveryOut
		var heldFlags []bool
		for _, d := range h.deliveries("destination_id=" + p.ID) {
			pending = append(pending, d)
			var full struct {
				Status string `json:"status"`
				Held   bool   `json:"held"`
			}
			h.mustAPI(200, "GET", "/api/v1/deliveries/"+d.ID, nil, &full)
			if full.Status != "pending" {
				t.Errorf("delivery %s of a paused destination is %s, want pending", d.ID, full.Status)
			}
			heldFlags = append(heldFlags, full.Held)
		}
		if len(pending) != 4 { // three events and the ping
			t.Fatalf("paused destination has %d deliveries, want 4", len(pending))
		}
		for i, f := range heldFlags {
			if !f {
				t.Errorf("delivery %s not marked held", pending[i].ID)
			}
		}

		var got struct {
			Paused bool `json:"paused"`
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+p.ID+"/resume", nil, &got)
		if got.Paused {
			t.Fatal("resume answered paused: true")
		}
		eventually(t, "the held deliveries after resume", func() bool {
			return len(held.withEvent("order.created")) == 3 && len(held.withEvent("ping")) == 1
		})

		// PATCH pauses and resumes too; pausing twice is harmless.
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+p.ID, map[string]any{"paused": true}, &got)
		h.mustAPI(200, "POST", "/api/v1/destinations/"+p.ID+"/pause", nil, &got)
		if !got.Paused {
			t.Fatal("pause answered paused: false")
		}
		publish(1)
		eventually(t, "the witness's fourth event", func() bool { return len(witness.withEvent("order.created")) == 4 })
		if n := len(held.withEvent("order.created")); n != 3 {
			t.Fatalf("paused destination received %d events, want still 3", n)
		}
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+p.ID, map[string]any{"paused": false}, &got)
		eventually(t, "the fourth event after PATCH resume", func() bool { return len(held.withEvent("order.created")) == 4 })
		if n := len(held.requests()); n != 5 {
			t.Fatalf("destination received %d requests in all, want 5 (each once)", n)
		}
		h.mustAPI(404, "POST", "/api/v1/destinations/dst_missing/pause", nil, nil)
	})
}
