package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

type incident struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Severity   string `json:"severity"`
	Status     string `json:"status"`
	SourceID   string `json:"source_id"`
	AlertCount int    `json:"alert_count"`
	Timeline   []struct {
		Kind    string `json:"kind"`
		Actor   string `json:"actor"`
		EventID string `json:"event_id"`
		From    string `json:"from"`
		To      string `json:"to"`
		Message string `json:"message"`
	} `json:"timeline"`
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/alerts/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (h *testHub) incidents(query string) []incident {
	h.t.Helper()
	var l list[incident]
	h.mustAPI(200, "GET", "/api/v1/incidents?"+query, nil, &l)
	return l.Data
}

func (h *testHub) incident(id string) incident {
	h.t.Helper()
	var inc incident
	h.mustAPI(200, "GET", "/api/v1/incidents/"+id, nil, &inc)
	return inc
}

// timelineOf lists an incident's timeline as kind[:to][@actor] strings.
func timelineOf(inc incident) []string {
	var out []string
	for _, e := range inc.Timeline {
		s := e.Kind
		if e.To != "" {
			s += ":" + e.To
		}
		if e.Kind == "status_changed" {
			s += "@" + e.Actor
		}
		out = append(out, s)
	}
	return out
}

var jsonCT = map[string]string{"Content-Type": "application/json"}

func TestWhaTapAlertsBecomeOneIncident(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "WhaTap prod", "type": "whatap"}, &src)
		url := "/hooks/whatap/" + src.Key + "/"
		for i := 0; i < 2; i++ {
			if code, body := h.post(url, jsonCT, fixture(t, "alert-critical.json")); code != 200 {
				t.Fatalf("firing alert: %d %s", code, body)
			}
		}
		if code, body := h.post(url, jsonCT, fixture(t, "alert-resolved.json")); code != 200 {
			t.Fatalf("resolved alert: %d %s", code, body)
		}
		list := h.incidents("source_id=" + src.ID)
		if len(list) != 1 {
			t.Fatalf("want one incident, got %+v", list)
		}
		inc := h.incident(list[0].ID)
		if inc.Status != "resolved" || inc.AlertCount != 2 || inc.Severity != "critical" || inc.Title != "CPU usage high" {
			t.Fatalf("incident: %+v", inc)
		}
		want := []string{"created:triggered", "webhook_received", "webhook_received", "status_changed:resolved@system"}
		if got := timelineOf(inc); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("timeline %v, want %v", got, want)
		}
		// Each webhook entry links the raw payload, which the inspector shows.
		for _, e := range inc.Timeline[:3] {
			var ev event
			h.mustAPI(200, "GET", "/api/v1/events/"+e.EventID, nil, &ev)
			if !strings.Contains(ev.Body, `"pcode"`) {
				t.Fatalf("timeline entry %s links %q", e.Kind, ev.Body)
			}
		}

		// Missing required fields: 422 naming them, nothing created.
		before := len(h.events("source_id=" + src.ID))
		code, body := h.post(url, jsonCT, []byte(`{"pcode":12345,"oid":1}`))
		if code != 422 || !strings.Contains(body, "title") || !strings.Contains(body, "uuid") {
			t.Fatalf("missing fields: %d %s", code, body)
		}
		if after := len(h.events("source_id=" + src.ID)); after != before {
			t.Fatalf("a refused alert was stored: %d events, had %d", after, before)
		}
		if n := len(h.incidents("")); n != 1 {
			t.Fatalf("a refused alert changed incidents: %d", n)
		}
	})
}

func TestAlertmanagerFiringThenResolved(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "am", "type": "alertmanager"}, &src)
		var firing struct {
			Alerts []json.RawMessage `json:"alerts"`
		}
		json.Unmarshal(fixture(t, "webhook-firing.json"), &firing)
		for _, f := range []string{"webhook-firing.json", "webhook-resolved.json"} {
			if code, body := h.post("/hooks/"+src.Key, jsonCT, fixture(t, f)); code != 200 {
				t.Fatalf("%s: %d %s", f, code, body)
			}
		}
		list := h.incidents("source_id=" + src.ID)
		if len(list) != len(firing.Alerts) || len(list) == 0 {
			t.Fatalf("want one incident per alert (%d), got %+v", len(firing.Alerts), list)
		}
		for _, inc := range list {
			if inc.Status != "resolved" || inc.AlertCount != 1 {
				t.Fatalf("incident not resolved: %+v", inc)
			}
		}
	})
}

func TestPagerDutyEventsAPI(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "pd", "type": "pagerduty"}, &src)
		example := fixture(t, "events-v2-example.json")
		code, body := h.post("/hooks/"+src.Key, jsonCT, example)
		var answer struct {
			Status   string `json:"status"`
			Message  string `json:"message"`
			DedupKey string `json:"dedup_key"`
		}
		json.Unmarshal([]byte(body), &answer)
		if code != 202 || answer.Status != "success" || answer.Message != "Event processed" || answer.DedupKey != "srv01/mysql" {
			t.Fatalf("trigger: %d %s", code, body)
		}
		for _, action := range []string{"acknowledge", "resolve"} {
			ev := fmt.Sprintf(`{"routing_key":"e93facc04764012d7bfb002500d5d1a6","event_action":%q,"dedup_key":"srv01/mysql"}`, action)
			if code, body := h.post("/hooks/"+src.Key, jsonCT, []byte(ev)); code != 202 || !strings.Contains(body, `"dedup_key":"srv01/mysql"`) {
				t.Fatalf("%s: %d %s", action, code, body)
			}
		}
		list := h.incidents("source_id=" + src.ID)
		if len(list) != 1 {
			t.Fatalf("want one incident, got %+v", list)
		}
		inc := h.incident(list[0].ID)
		want := []string{"created:triggered", "webhook_received", "status_changed:acknowledged@system",
			"webhook_received", "status_changed:resolved@system"}
		if inc.Status != "resolved" || inc.Severity != "critical" || strings.Join(timelineOf(inc), " ") != strings.Join(want, " ") {
			t.Fatalf("incident %+v timeline %v", inc, timelineOf(inc))
		}
		// A bad event gets PagerDuty's own error shape.
		code, body = h.post("/hooks/"+src.Key, jsonCT, []byte(`{"routing_key":"x","event_action":"explode"}`))
		if code != 400 || !strings.Contains(body, `"status":"invalid event"`) {
			t.Fatalf("invalid event: %d %s", code, body)
		}
	})
}

// TestIncidentLifecycleAndNotifications drives an incident by hand and checks
// that a destination filtered to critical gets exactly the critical
// incidents' events, signed.
func TestIncidentLifecycleAndNotifications(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		rc := &receiver{}
		srv := httptest.NewServer(http.HandlerFunc(rc.handler))
		defer srv.Close()
		var dst struct{ ID, Secret string }
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{
			"name": "pager", "url": srv.URL,
			"filter": map[string]any{"event_types": []string{"incident.*"}, "severities": []string{"critical"}},
		}, &dst)
		rc.mu.Lock()
		rc.secret = dst.Secret
		rc.mu.Unlock()
		eventually(t, "the ping", func() bool { return rc.count() == 1 })

		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "generic alerts", "type": "generic",
			"alert": map[string]any{"kind": "generic", "title_path": "title", "severity_path": "level", "status_path": "state",
				"fingerprint_paths": []string{"check"}}}, &src)
		post := func(check, level, state string) {
			t.Helper()
			body := fmt.Sprintf(`{"title":"%s is down","level":%q,"state":%q,"check":%q}`, check, level, state, check)
			if code, resp := h.post("/hooks/"+src.Key, jsonCT, []byte(body)); code != 200 {
				t.Fatalf("alert %s: %d %s", check, code, resp)
			}
		}
		post("db", "critical", "firing")
		post("cache", "warning", "firing")
		list := h.incidents("severity=critical")
		if len(list) != 1 {
			t.Fatalf("critical incidents: %+v", list)
		}
		id := list[0].ID
		var low []incident
		if low = h.incidents("severity=medium"); len(low) != 1 {
			t.Fatalf("medium incidents: %+v", low)
		}

		h.mustAPI(200, "POST", "/api/v1/incidents/"+id+"/ack", nil, nil)
		h.mustAPI(409, "POST", "/api/v1/incidents/"+id+"/ack", nil, nil)
		h.mustAPI(409, "POST", "/api/v1/incidents/"+id+"/close", nil, nil)
		h.mustAPI(201, "POST", "/api/v1/incidents/"+id+"/comments", map[string]any{"body": "disk full on db-1"}, nil)
		h.mustAPI(400, "POST", "/api/v1/incidents/"+id+"/comments", map[string]any{"message": "  "}, nil)
		h.mustAPI(200, "POST", "/api/v1/incidents/"+id+"/resolve", map[string]any{"message": "freed space"}, nil)
		h.mustAPI(200, "POST", "/api/v1/incidents/"+id+"/close", nil, nil)
		h.mustAPI(404, "POST", "/api/v1/incidents/inc_nope/ack", nil, nil)
		// The medium incident changes too, but must not reach the pager.
		h.mustAPI(200, "POST", "/api/v1/incidents/"+low[0].ID+"/ack", nil, nil)

		inc := h.incident(id)
		want := []string{"created:triggered", "status_changed:acknowledged@apikey", "commented",
			"status_changed:resolved@apikey", "status_changed:closed@apikey"}
		got := timelineOf(inc)
		for i := range got {
			got[i], _, _ = strings.Cut(got[i], ":key_") // apikey:key_… → apikey
		}
		if inc.Status != "closed" || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("incident %+v timeline %v, want %v", inc, got, want)
		}
		// The timeline pages through /timeline too.
		var page struct {
			Data []struct {
				Kind string `json:"kind"`
			} `json:"data"`
			NextCursor string `json:"next_cursor"`
		}
		var kinds []string
		for path := "/api/v1/incidents/" + id + "/timeline?limit=2"; ; {
			h.mustAPI(200, "GET", path, nil, &page)
			for _, e := range page.Data {
				kinds = append(kinds, e.Kind)
			}
			if page.NextCursor == "" {
				break
			}
			path = "/api/v1/incidents/" + id + "/timeline?limit=2&cursor=" + url.QueryEscape(page.NextCursor)
			page.NextCursor = ""
		}
		if len(kinds) != len(inc.Timeline) {
			t.Fatalf("paged timeline has %d entries, embedded %d", len(kinds), len(inc.Timeline))
		}
		// The comment's text comes from body; the resolve note from its alias.
		if c, r := inc.Timeline[2].Message, inc.Timeline[3].Message; c != "disk full on db-1" || r != "freed space" {
			t.Fatalf("timeline messages %q, %q", c, r)
		}

		wantTypes := []string{"incident.triggered", "incident.acknowledged", "incident.commented", "incident.resolved", "incident.closed"}
		eventually(t, "five critical notifications", func() bool { return rc.count() == 1+len(wantTypes) })
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.badSigs != 0 {
			t.Fatalf("%d notifications failed signature verification", rc.badSigs)
		}
		// Deliveries are concurrent, so notifications may arrive in any order:
		// match each by its type.
		seen := map[string]int{}
		for i := 1; i < len(rc.bodies); i++ {
			var p struct {
				ID, Severity, Type, Title, Link, Version string
				AlertContext                             struct{ Status string } `json:"alertContext"`
			}
			if err := json.Unmarshal([]byte(rc.bodies[i]), &p); err != nil {
				t.Fatal(err)
			}
			typ := rc.got[i].Get("X-Hookhub-Event")
			seen[typ]++
			if p.ID != id || p.Type != typ || p.Severity != "CRITICAL" || p.Title != "db is down" || p.Link == "" || p.Version == "" {
				t.Errorf("notification %d: %+v (%s)", i, p, typ)
			}
		}
		for _, typ := range wantTypes {
			if seen[typ] != 1 {
				t.Errorf("%s notifications: %d, want 1 (all: %v)", typ, seen[typ], seen)
			}
		}
	})
}

// TestConcurrentAlertsOneIncident posts the same alert from many clients at
// once: exactly one incident counts them all.
func TestConcurrentAlertsOneIncident(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "w", "type": "whatap"}, &src)
		const n = 12
		var wg sync.WaitGroup
		codes := make([]int, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = h.post("/hooks/"+src.Key, jsonCT, fixture(t, "alert-critical.json"))
			}()
		}
		wg.Wait()
		for i, c := range codes {
			if c != 200 {
				t.Fatalf("request %d: %d", i, c)
			}
		}
		list := h.incidents("")
		if len(list) != 1 || list[0].AlertCount != n {
			t.Fatalf("want one incident counting %d alerts, got %+v", n, list)
		}
	})
}

// TestLongTimelineIsPaged: GET incident embeds the first 500 timeline entries
// and a cursor that /timeline continues from.
func TestLongTimelineIsPaged(t *testing.T) {
	h := startHub(t, "")
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "w", "type": "whatap"}, &src)
	ctx := context.Background()
	out, err := h.main.store.ApplyAlert(ctx, &hookhub.AlertInput{SourceID: src.ID, At: time.Now(),
		Alert: hookhub.Alert{Title: "disk", Severity: hookhub.SeverityHigh, Status: hookhub.AlertFiring, Fingerprint: "disk"}})
	if err != nil {
		t.Fatal(err)
	}
	id := out.Incident.ID
	for i := range 501 {
		if _, _, err := h.main.store.AddIncidentComment(ctx, id, "system", fmt.Sprint("note ", i), time.Now(), nil); err != nil {
			t.Fatal(err)
		}
	}
	var inc struct {
		Timeline   []json.RawMessage `json:"timeline"`
		NextCursor string            `json:"timeline_next_cursor"`
	}
	h.mustAPI(200, "GET", "/api/v1/incidents/"+id, nil, &inc)
	if len(inc.Timeline) != 500 || inc.NextCursor == "" {
		t.Fatalf("embedded %d entries, next cursor %q; want 500 and a cursor", len(inc.Timeline), inc.NextCursor)
	}
	var rest list[json.RawMessage]
	h.mustAPI(200, "GET", "/api/v1/incidents/"+id+"/timeline?limit=500&cursor="+url.QueryEscape(inc.NextCursor), nil, &rest)
	if len(rest.Data) != 2 || rest.NextCursor != "" {
		t.Fatalf("rest of the timeline: %d entries, next %q; want the last 2", len(rest.Data), rest.NextCursor)
	}
}
