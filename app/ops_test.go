package app

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// triggers returns a delivery's attempt triggers, oldest first.
func triggers(d deliveryOut) []string {
	var out []string
	for i := len(d.Attempts) - 1; i >= 0; i-- {
		out = append(out, d.Attempts[i].Trigger)
	}
	return out
}

func TestPingAndTestSend(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		rcv.setStatus(202)
		dst := h.createDestination("ops", rcv.srv.URL, nil)

		eventually(t, "the ping", func() bool { return len(rcv.withEvent("ping")) == 1 })
		var ping deliveryOut
		eventually(t, "the ping in the delivery log", func() bool {
			ds := h.deliveries("destination_id=" + dst.ID)
			if len(ds) != 1 || ds[0].Status != "succeeded" {
				return false
			}
			ping = h.delivery(ds[0].ID)
			return true
		})
		if !slices.Equal(triggers(ping), []string{"ping"}) || ping.Attempts[0].StatusCode != 202 ||
			rcv.withEvent("ping")[0].header.Get("X-Hookhub-Delivery") != ping.ID {
			t.Fatalf("ping delivery: %+v", ping)
		}
		var pingBody map[string]string
		if err := json.Unmarshal([]byte(rcv.withEvent("ping")[0].body), &pingBody); err != nil || pingBody["destination_id"] != dst.ID {
			t.Fatalf("ping body %q: %v", rcv.withEvent("ping")[0].body, err)
		}

		rcv.setStatus(418)
		var res struct {
			DeliveryID string  `json:"delivery_id"`
			EventID    string  `json:"event_id"`
			Success    bool    `json:"success"`
			Attempt    attempt `json:"attempt"`
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, &res)
		if res.Success || res.Attempt.StatusCode != 418 || res.Attempt.Trigger != "test" || res.Attempt.URL != rcv.srv.URL {
			t.Fatalf("test answer: %+v", res)
		}
		rcv.setStatus(0)
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, &res)
		if !res.Success || res.Attempt.StatusCode != 200 {
			t.Fatalf("second test answer: %+v", res)
		}
		if got := rcv.withEvent("hookhub.test"); len(got) != 2 || got[1].header.Get("X-Hookhub-Delivery") != res.DeliveryID ||
			!strings.Contains(got[1].body, `"title":"This is a test alert from Hookhub"`) {
			t.Fatalf("receiver got %+v", got)
		}
		log := h.deliveries("destination_id=" + dst.ID)
		if len(log) != 3 || log[0].ID != res.DeliveryID {
			t.Fatalf("delivery log: %+v", log)
		}
		failed := h.delivery(log[1].ID)
		if !slices.Equal(triggers(failed), []string{"test"}) || failed.Attempts[0].StatusCode != 418 {
			t.Fatalf("failed test send in the log: %+v", failed)
		}
		if got := h.delivery(res.DeliveryID); got.Status != "succeeded" || !slices.Equal(triggers(got), []string{"test"}) {
			t.Fatalf("test send in the log: %+v", got)
		}
	})
}

func TestResendDelivery(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		dst := h.createDestination("ops", rcv.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"order.*"}}})
		var ev event
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "order.paid", "payload": map[string]any{"id": 1}}, &ev)
		eventually(t, "the event", func() bool { return len(rcv.withEvent("order.paid")) == 1 })
		id := rcv.withEvent("order.paid")[0].header.Get("X-Hookhub-Delivery")
		eventually(t, "the delivery recorded", func() bool { return h.delivery(id).Status == "succeeded" })

		var d deliveryOut
		h.mustAPI(202, "POST", "/api/v1/deliveries/"+id+"/resend", nil, &d)
		if d.ID != id || d.EventID != ev.ID || d.DestinationID != dst.ID {
			t.Fatalf("resend answer %+v", d)
		}
		eventually(t, "the resend", func() bool { return len(rcv.withDelivery(id)) == 2 })
		eventually(t, "the resend recorded", func() bool { return len(h.delivery(id).Attempts) == 2 })
		got := h.delivery(id)
		if got.Status != "succeeded" || got.AttemptCount != 2 || !slices.Equal(triggers(got), []string{"initial", "manual"}) ||
			got.Attempts[0].Number != 2 {
			t.Fatalf("after resend: %+v", got)
		}
		reqs := rcv.withDelivery(id)
		if reqs[0].body != reqs[1].body || reqs[1].header.Get("webhook-id") != id {
			t.Fatalf("resend differs: %+v", reqs)
		}

		h.mustAPI(404, "POST", "/api/v1/deliveries/dlv_nope/resend", nil, nil)
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"allow_manual_dispatch": false}, nil)
		h.mustAPI(403, "POST", "/api/v1/deliveries/"+id+"/resend", nil, nil)
		h.mustAPI(403, "POST", "/api/v1/destinations/"+dst.ID+"/resend-failed", nil, nil)
	})
}

func TestResendFailed(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		dst := h.createDestination("flaky", rcv.srv.URL, map[string]any{
			"filter": map[string]any{"event_types": []string{"job.*"}},
			"retry":  map[string]any{"max_retries": 1, "schedule_seconds": []int{60}},
		})
		other := newSink(t)
		h.createDestination("steady", other.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"job.*"}}})
		// The pings go out on the real clock, before the test clock takes over.
		eventually(t, "the pings", func() bool { return len(rcv.requests()) == 1 && len(other.requests()) == 1 })
		rcv.setStatus(500)

		// Two batches an hour apart, each failing its attempt and its one retry.
		t0 := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
		publishAt := func(at time.Time, typ string) {
			h.clock.set(at)
			h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": typ, "payload": map[string]any{}}, nil)
		}
		failAll := func(typ string, n int) {
			t.Helper()
			eventually(t, "first attempts of "+typ, func() bool { return len(rcv.withEvent(typ)) == n })
			// The retry time is set from the clock when the attempt is
			// recorded, after the receiver has answered: wait for that.
			eventually(t, "first attempts of "+typ+" recorded", func() bool {
				recorded := 0
				for _, d := range h.deliveries("status=pending&destination_id=" + dst.ID) {
					if d.AttemptCount == 1 {
						recorded++
					}
				}
				return recorded == n
			})
			h.clock.set(h.clock.now().Add(2 * time.Minute)) // the retry is due
			eventually(t, "retries of "+typ, func() bool { return len(rcv.withEvent(typ)) == 2*n })
		}
		publishAt(t0, "job.early")
		publishAt(t0.Add(time.Second), "job.early")
		failAll("job.early", 2)
		publishAt(t0.Add(time.Hour), "job.late")
		failAll("job.late", 1)
		eventually(t, "three failed deliveries", func() bool {
			return len(h.deliveries("status=failed&destination_id="+dst.ID)) == 3
		})
		for _, d := range h.deliveries("status=failed&destination_id=" + dst.ID) {
			if d.AttemptCount != 2 || !strings.Contains(d.LastError, "500") {
				t.Fatalf("failed delivery %+v", d)
			}
		}

		rcv.setStatus(0)
		var res struct {
			Requeued int `json:"requeued"`
		}
		window := map[string]any{"since": t0.Add(30 * time.Minute), "until": t0.Add(90 * time.Minute)}
		h.mustAPI(202, "POST", "/api/v1/destinations/"+dst.ID+"/resend-failed", window, &res)
		if res.Requeued != 1 {
			t.Fatalf("resend in the late window requeued %d, want 1", res.Requeued)
		}
		eventually(t, "the late job resent", func() bool { return len(rcv.withEvent("job.late")) == 3 })
		eventually(t, "the late job delivered", func() bool {
			return len(h.deliveries("status=succeeded&destination_id="+dst.ID)) == 2 // the ping and the late job
		})
		for _, d := range h.deliveries("status=failed&destination_id=" + dst.ID) {
			if d.Status != "failed" || len(rcv.withDelivery(d.ID)) != 2 {
				t.Fatalf("a delivery outside the window was resent: %+v", d)
			}
		}
		late := h.deliveries("status=succeeded&destination_id=" + dst.ID)[0]
		if got := h.delivery(late.ID); !slices.Equal(triggers(got), []string{"initial", "retry", "manual"}) {
			t.Fatalf("late delivery attempts: %v", triggers(got))
		}

		// No bounds: everything failed that is left.
		h.mustAPI(202, "POST", "/api/v1/destinations/"+dst.ID+"/resend-failed", nil, &res)
		if res.Requeued != 2 {
			t.Fatalf("resend of all requeued %d, want 2", res.Requeued)
		}
		eventually(t, "every delivery succeeded", func() bool {
			return len(h.deliveries("status=succeeded&destination_id="+dst.ID)) == 4
		})
		if n := len(other.requests()); n != 4 {
			t.Fatalf("the other destination got %d requests, want the ping and three jobs once each", n)
		}
		h.mustAPI(202, "POST", "/api/v1/destinations/"+dst.ID+"/resend-failed", nil, &res)
		if res.Requeued != 0 {
			t.Fatalf("nothing failed, yet %d requeued", res.Requeued)
		}
	})
}

func TestReplayEvent(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		first, second := newSink(t), newSink(t)
		a := h.createDestination("first", first.srv.URL, nil)
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "app", "type": "generic",
			"destination_ids": []string{a.ID}, "event_type": map[string]any{"json_path": "kind"}}, &src)
		if code, body := h.post("/hooks/"+src.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{"kind":"deploy"}`)); code != 200 {
			t.Fatalf("webhook: %d %s", code, body)
		}
		eventually(t, "the first delivery", func() bool { return len(first.withEvent("deploy")) == 1 })
		evs := h.events("source_id=" + src.ID)
		if len(evs) != 1 {
			t.Fatalf("events %+v", evs)
		}

		// Routing changes: a second destination subscribes to the source.
		b := h.createDestination("second", second.srv.URL, map[string]any{"filter": map[string]any{"source_ids": []string{src.ID}}})
		eventually(t, "the second ping", func() bool { return len(second.withEvent("ping")) == 1 })
		var rep struct {
			EventID     string   `json:"event_id"`
			DeliveryIDs []string `json:"delivery_ids"`
		}
		h.mustAPI(202, "POST", "/api/v1/events/"+evs[0].ID+"/replay", nil, &rep)
		if rep.EventID != evs[0].ID || len(rep.DeliveryIDs) != 2 {
			t.Fatalf("replay answer %+v", rep)
		}
		eventually(t, "the replays", func() bool {
			return len(first.withEvent("deploy")) == 2 && len(second.withEvent("deploy")) == 1
		})
		original := first.withEvent("deploy")[0].header.Get("X-Hookhub-Delivery")
		for _, r := range append(first.withEvent("deploy")[1:], second.withEvent("deploy")...) {
			id := r.header.Get("X-Hookhub-Delivery")
			if !slices.Contains(rep.DeliveryIDs, id) || id == original || r.body != `{"kind":"deploy"}` {
				t.Fatalf("replayed request %s (%q), want one of %v", id, r.body, rep.DeliveryIDs)
			}
		}
		if ds := h.deliveries("event_id=" + evs[0].ID); len(ds) != 3 {
			t.Fatalf("event has %d deliveries, want 3", len(ds))
		}
		_ = b

		// Rejected events are not replayed.
		var locked source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "locked", "type": "generic",
			"verification": map[string]any{"scheme": "token", "secret": "t0k"}}, &locked)
		if code, _ := h.post("/hooks/"+locked.Key, map[string]string{"Content-Type": "application/json"}, []byte(`{}`)); code != 401 {
			t.Fatalf("unauthenticated webhook: %d", code)
		}
		rejected := h.events("status=rejected&source_id=" + url.QueryEscape(locked.ID))
		if len(rejected) != 1 {
			t.Fatalf("rejected events %+v", rejected)
		}
		h.mustAPI(409, "POST", "/api/v1/events/"+rejected[0].ID+"/replay", nil, nil)
		h.mustAPI(404, "POST", "/api/v1/events/evt_nope/replay", nil, nil)
	})
}

// TestNoRetries: max_retries 0 means a failed first attempt is final; an
// absent max_retries means the default.
func TestNoRetries(t *testing.T) {
	h := startHub(t, "")
	rcv := newSink(t)
	rcv.setStatus(500)
	var once, dflt struct {
		ID    string `json:"id"`
		Retry struct {
			MaxRetries int `json:"max_retries"`
		} `json:"retry"`
	}
	h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "once", "url": rcv.srv.URL,
		"retry": map[string]any{"max_retries": 0}}, &once)
	h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "default", "url": rcv.srv.URL,
		"retry": map[string]any{"schedule_seconds": []int{60}}}, &dflt)
	if once.Retry.MaxRetries != 0 || dflt.Retry.MaxRetries != 10 {
		t.Fatalf("max_retries shown as %d and %d, want 0 and 10", once.Retry.MaxRetries, dflt.Retry.MaxRetries)
	}
	// The ping fails at once and for good.
	eventually(t, "the failed ping", func() bool { return len(h.deliveries("status=failed&destination_id="+once.ID)) == 1 })
	if d := h.deliveries("destination_id=" + once.ID)[0]; d.AttemptCount != 1 {
		t.Fatalf("delivery with no retries made %d attempts", d.AttemptCount)
	}
	h.mustAPI(400, "POST", "/api/v1/destinations", map[string]any{"name": "bad", "url": rcv.srv.URL,
		"retry": map[string]any{"max_retries": -3}}, nil)
}
