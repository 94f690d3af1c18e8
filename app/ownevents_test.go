package app

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Hookhub's own events about delivery reach the destinations whose filter
// asks for them: destination.disabled when a destination is disabled, and
// delivery.failed when a delivery has no retries left. They are stored like
// any event, with their deliveries.
func TestOwnEventsReachSubscribers(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		alerts := newSink(t)
		h.createDestination("on-call", alerts.srv.URL, map[string]any{
			"filter": map[string]any{"event_types": []string{"destination.disabled", "delivery.failed"}}})
		other := newSink(t)
		h.createDestination("orders only", other.srv.URL, map[string]any{
			"filter": map[string]any{"event_types": []string{"order.*"}}})

		gone := newSink(t)
		goneDst := h.createDestination("retired", gone.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"note.*"}}})
		eventually(t, "the ping", func() bool { return len(gone.withEvent("ping")) == 1 })
		gone.setStatus(http.StatusGone)
		failing := newSink(t)
		failing.setStatus(http.StatusInternalServerError)
		failDst := h.createDestination("flaky", failing.srv.URL, map[string]any{
			"retry": map[string]any{"max_retries": 0}, "filter": map[string]any{"event_types": []string{"job.*"}}})
		eventually(t, "the failed ping", func() bool { return len(alerts.withEvent("delivery.failed")) == 1 })

		var note, job struct {
			ID string `json:"id"`
		}
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "note.added", "payload": map[string]any{}}, &note)
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "job.done", "payload": map[string]any{}}, &job)

		eventually(t, "destination.disabled", func() bool { return len(alerts.withEvent("destination.disabled")) == 1 })
		var disabled struct {
			DestinationID string `json:"destination_id"`
			Reason        string `json:"reason"`
		}
		if err := json.Unmarshal([]byte(alerts.withEvent("destination.disabled")[0].body), &disabled); err != nil ||
			disabled.DestinationID != goneDst.ID || disabled.Reason != "receiver answered 410 Gone" {
			t.Fatalf("destination.disabled body: %+v (%v)", disabled, err)
		}

		// The ping and the job to the flaky destination, and the note to the
		// retired one, failed for good.
		eventually(t, "delivery.failed", func() bool { return len(alerts.withEvent("delivery.failed")) == 3 })
		failed := map[string]string{}
		for _, r := range alerts.withEvent("delivery.failed") {
			var f struct {
				EventID       string `json:"event_id"`
				EventType     string `json:"event_type"`
				DestinationID string `json:"destination_id"`
				Attempts      int    `json:"attempts"`
				LastError     string `json:"last_error"`
			}
			if err := json.Unmarshal([]byte(r.body), &f); err != nil || f.Attempts != 1 || f.LastError == "" {
				t.Fatalf("delivery.failed body %s (%v)", r.body, err)
			}
			failed[f.EventID] = f.DestinationID
		}
		if failed[note.ID] != goneDst.ID || failed[job.ID] != failDst.ID {
			t.Fatalf("delivery.failed events for %v; want the note to %s and the job to %s", failed, goneDst.ID, failDst.ID)
		}
		if n := len(other.withEvent("delivery.failed")) + len(other.withEvent("destination.disabled")); n != 0 {
			t.Fatalf("a destination that did not ask got %d of them", n)
		}
		if n := len(failing.withEvent("delivery.failed")) + len(gone.withEvent("destination.disabled")); n != 0 {
			t.Fatalf("a destination was told of its own failure %d times", n)
		}
		for _, typ := range []string{"delivery.failed", "destination.disabled"} {
			for _, ev := range h.events("type=" + typ) {
				if len(h.deliveries("event_id="+ev.ID)) != 1 {
					t.Fatalf("stored %s event %s without its delivery", typ, ev.ID)
				}
			}
		}
	})
}
