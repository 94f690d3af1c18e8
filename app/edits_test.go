package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// destinationState is what these tests read of a destination.
type destinationState struct {
	Name                string `json:"name"`
	Enabled             bool   `json:"enabled"`
	DisabledReason      string `json:"disabled_reason"`
	ConsecutiveFailures int    `json:"consecutive_failures"`
}

func (h *testHub) destinationState(id string) destinationState {
	h.t.Helper()
	var d destinationState
	h.mustAPI(200, "GET", "/api/v1/destinations/"+id, nil, &d)
	return d
}

// patchLoop sends PATCH body to path until stop is closed, from n clients
// at once, and returns how many answers were not 200.
func (h *testHub) patchLoop(path string, body map[string]any, n int, stop <-chan struct{}) func() int64 {
	var bad atomic.Int64
	var wg sync.WaitGroup
	b, _ := json.Marshal(body)
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("PATCH", h.url+path, bytes.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+h.key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != 200 {
					bad.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		})
	}
	return func() int64 { wg.Wait(); return bad.Load() }
}

// Renaming a destination while its deliveries fail loses none of the
// failures it counts toward auto-disable.
func TestRenameKeepsFailureCount(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		rcv.setStatus(http.StatusInternalServerError)
		dst := h.createDestination("failing", rcv.srv.URL, map[string]any{
			"retry": map[string]any{"max_retries": 0}, "filter": map[string]any{"event_types": []string{"note.*"}}})
		eventually(t, "the ping to fail", func() bool { return h.destinationState(dst.ID).ConsecutiveFailures == 1 })

		stop := make(chan struct{})
		wait := h.patchLoop("/api/v1/destinations/"+dst.ID, map[string]any{"description": "renamed while failing"}, 3, stop)
		const n = 30
		for i := range n {
			h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "note.added", "payload": map[string]any{"n": i}}, nil)
		}
		eventually(t, "every delivery to fail", func() bool {
			return len(h.deliveries("status=failed&destination_id="+dst.ID)) == n+1
		})
		close(stop)
		if bad := wait(); bad != 0 {
			t.Errorf("%d renames failed", bad)
		}
		if got := h.destinationState(dst.ID).ConsecutiveFailures; got != n+1 {
			t.Fatalf("consecutive failures after renames: %d, want %d", got, n+1)
		}
	})
}

// Edits that race the engine's disabling of a destination never enable it
// again: only an edit that asks for it does.
func TestEditRacingDisableKeepsItDisabled(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rcv := newSink(t)
		dst := h.createDestination("gone soon", rcv.srv.URL, map[string]any{"filter": map[string]any{"event_types": []string{"note.*"}}})
		eventually(t, "the ping", func() bool { return len(rcv.withEvent("ping")) == 1 })
		rcv.setStatus(http.StatusGone)

		stop := make(chan struct{})
		wait := h.patchLoop("/api/v1/destinations/"+dst.ID, map[string]any{"description": "edited meanwhile"}, 4, stop)
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "note.added", "payload": map[string]any{}}, nil)
		eventually(t, "the destination disabled", func() bool { return !h.destinationState(dst.ID).Enabled })
		close(stop)
		if bad := wait(); bad != 0 {
			t.Errorf("%d edits failed", bad)
		}
		got := h.destinationState(dst.ID)
		if got.Enabled || !strings.Contains(got.DisabledReason, "410") {
			t.Fatalf("after the racing edits: enabled %v, reason %q", got.Enabled, got.DisabledReason)
		}
		var back destinationState
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"enabled": true}, &back)
		if !back.Enabled || back.DisabledReason != "" || back.ConsecutiveFailures != 0 {
			t.Fatalf("enabled by an edit: %+v", back)
		}
	})
}
