package app

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOutboundGuard runs a hub whose outbound allowlist is empty, as in
// production by default: destinations on internal addresses are refused,
// when saved if the URL names the address, and when sent to if a host name
// resolves to one.
func TestOutboundGuard(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHubWith(t, dbURL(t), func(m *Main) { m.Config.OutboundAllow = nil })
		rcv := newSink(t)
		u, _ := url.Parse(rcv.srv.URL) // http://127.0.0.1:port

		for _, raw := range []string{rcv.srv.URL, "http://10.0.0.1/hook", "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data"} {
			var e struct {
				Error struct{ Code, Message string }
			}
			if code := h.api("POST", "/api/v1/destinations", map[string]any{"name": "internal", "url": raw}, &e); code != 400 ||
				!strings.Contains(e.Error.Message, "refusing to connect") {
				t.Errorf("create with %s: %d %+v, want 400 refusing to connect", raw, code, e)
			}
		}
		public := h.createDestination("public", "https://hooks.example.com/in", nil)
		var e struct {
			Error struct{ Code, Message string }
		}
		if code := h.api("PATCH", "/api/v1/destinations/"+public.ID, map[string]any{"url": rcv.srv.URL}, &e); code != 400 ||
			!strings.Contains(e.Error.Message, "refusing to connect") {
			t.Errorf("update to a loopback URL: %d %+v", code, e)
		}

		// A name is checked where it resolves, at connection time.
		byName := "http://localhost:" + u.Port() + "/hook"
		dst := h.createDestination("by name", byName, nil)
		var ping deliveryOut
		eventually(t, "the ping attempt", func() bool {
			ds := h.deliveries("destination_id=" + dst.ID)
			if len(ds) != 1 || ds[0].AttemptCount == 0 {
				return false
			}
			ping = h.delivery(ds[0].ID)
			return true
		})
		if a := ping.Attempts[0]; a.StatusCode != 0 || !strings.Contains(a.Error, "refusing to connect") ||
			!strings.Contains(a.Error, "loopback") || ping.Status == "succeeded" {
			t.Errorf("ping to localhost: %+v", ping)
		}
		var res struct {
			Success bool    `json:"success"`
			Attempt attempt `json:"attempt"`
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, &res)
		if res.Success || res.Attempt.StatusCode != 0 || !strings.Contains(res.Attempt.Error, "refusing to connect") {
			t.Errorf("test send to localhost: %+v", res)
		}
		if n := len(rcv.requests()); n != 0 {
			t.Fatalf("the receiver on 127.0.0.1 got %d requests", n)
		}
	})
}

// TestOutboundAllowlist: an address on the allowlist is accepted and reached.
func TestOutboundAllowlist(t *testing.T) {
	h := startHub(t, "") // allows 127.0.0.1/32
	rcv := newSink(t)
	dst := h.createDestination("allowed", rcv.srv.URL, nil)
	eventually(t, "the ping", func() bool { return len(rcv.withEvent("ping")) == 1 })
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := h.api("POST", "/api/v1/destinations", map[string]any{"name": "x", "url": "http://127.0.0.2/"}, &e); code != 400 {
		t.Errorf("127.0.0.2 is outside the allowlist, yet: %d %+v", code, e)
	}
	h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"name": "renamed"}, nil)
}

// TestOutboundGuardOnSavedDestination: a destination saved while its address
// was allowed is not reached once the allowlist no longer covers it, and can
// still be edited and disabled.
func TestOutboundGuardOnSavedDestination(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		databaseURL, dir := dbURL(t), t.TempDir()
		rcv := newSink(t)
		before := startHubWith(t, databaseURL, func(m *Main) { m.Config.DataDir = dir })
		dst := before.createDestination("loopback", rcv.srv.URL, nil)
		eventually(t, "the ping", func() bool { return len(rcv.requests()) == 1 })
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := before.main.Close(ctx); err != nil {
			t.Fatal(err)
		}

		h := startHubWith(t, databaseURL, func(m *Main) { m.Config.DataDir, m.Config.OutboundAllow = dir, nil })
		h.key = before.key // the admin was made on the first start
		var ev event
		h.mustAPI(202, "POST", "/api/v1/events", map[string]any{"type": "note.added", "payload": map[string]any{}}, &ev)
		var d deliveryOut
		eventually(t, "the attempt", func() bool {
			ds := h.deliveries("event_id=" + ev.ID)
			if len(ds) != 1 || ds[0].AttemptCount == 0 {
				return false
			}
			d = h.delivery(ds[0].ID)
			return true
		})
		want := "refusing to connect to 127.0.0.1: loopback address"
		if d.DestinationID != dst.ID || d.Status != "pending" || !strings.Contains(d.Attempts[0].Error, want) ||
			!strings.Contains(d.LastError, want) {
			t.Fatalf("delivery to a refused address: %+v", d)
		}
		if n := len(rcv.requests()); n != 1 {
			t.Fatalf("the receiver got %d requests, want only the ping from before", n)
		}
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"name": "renamed", "enabled": false}, nil)
	})
}
