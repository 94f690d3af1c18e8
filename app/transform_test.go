package app

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docTransform returns a ready-made transform of docs/transformations.md.
func docTransform(t *testing.T, name string) string {
	t.Helper()
	doc, err := os.ReadFile("../docs/transformations.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```cel\n// example: " + name + "\n(.*?)```").FindStringSubmatch(string(doc))
	if m == nil {
		t.Fatalf("no example %q in the docs", name)
	}
	return m[1]
}

// TestTransformationsEndToEnd: alerts from an Alertmanager source reach a
// Slack-shaped receiver as Slack messages (through their incident) and a
// Panther-shaped one in Panther's schema, signed over the bytes sent; a
// transform is checked on save, previewed, and a failing one is an attempt
// error.
func TestTransformationsEndToEnd(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		slack, panther := newSink(t), newSink(t)
		slackDst := h.createDestination("slack", slack.srv.URL, map[string]any{
			"transform": docTransform(t, "slack"), "filter": map[string]any{"event_types": []string{"incident.*"}}})
		pantherDst := h.createDestination("panther", panther.srv.URL, map[string]any{
			"transform": docTransform(t, "panther"), "filter": map[string]any{"event_types": []string{"firing", "resolved"}}})
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "am", "type": "alertmanager",
			"destination_ids": []string{pantherDst.ID},
			"event_type":      map[string]any{"json_path": "status", "default": "alert"}}, &src)
		if code, body := h.post("/hooks/"+src.Key, jsonCT, fixture(t, "webhook-firing.json")); code != 200 {
			t.Fatalf("alert: %d %s", code, body)
		}

		eventually(t, "the Slack message", func() bool { return len(slack.withEvent("incident.triggered")) == 1 })
		msg := slack.withEvent("incident.triggered")[0]
		var m map[string]any
		if err := json.Unmarshal([]byte(msg.body), &m); err != nil || !strings.HasPrefix(m["text"].(string), "[") {
			t.Fatalf("Slack body %s: %v", msg.body, err)
		}
		if msg.header.Get("Content-Type") != "application/json" || !verifiesWith(t, slackDst.Secret, msg) {
			t.Fatalf("Slack request: content type %q, signature verifies over the transformed body: %v",
				msg.header.Get("Content-Type"), verifiesWith(t, slackDst.Secret, msg))
		}
		if ping := slack.withEvent("ping"); len(ping) == 0 || !strings.Contains(ping[0].body, "Hookhub is connected.") {
			t.Fatalf("ping: %v", ping)
		}

		eventually(t, "the Panther alert", func() bool {
			return len(panther.withEvent("firing")) == 1
		})
		var alert map[string]any
		json.Unmarshal([]byte(panther.withEvent("firing")[0].body), &alert)
		if alert["name"] != "HighCPU" || alert["severity"] != "CRITICAL" || alert["version"] != "1" {
			t.Fatalf("Panther alert: %v", alert)
		}

		// Preview the saved transform on the stored incident event, and an
		// unsaved one on an inline event.
		evs := h.events("type=incident.triggered")
		var prev struct {
			Method, URL, ContentType, Body string
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+slackDst.ID+"/transform-preview", map[string]any{"event_id": evs[0].ID}, &prev)
		if prev.Body != msg.body || prev.Method != "POST" || prev.URL != slack.srv.URL {
			t.Fatalf("preview %+v, sent %s", prev, msg.body)
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+slackDst.ID+"/transform-preview", map[string]any{
			"event":     map[string]any{"type": "order.created", "payload": map[string]any{"id": 7}},
			"transform": `{"body": "order " + string(int(event.payload.id)), "path": "/orders", "method": "PUT"}`}, &prev)
		if prev.Body != "order 7" || prev.Method != "PUT" || prev.URL != slack.srv.URL+"/orders" {
			t.Fatalf("inline preview %+v", prev)
		}
		h.mustAPI(422, "POST", "/api/v1/destinations/"+slackDst.ID+"/transform-preview", map[string]any{
			"event": map[string]any{"type": "x", "payload": map[string]any{}}, "transform": `event.payload.nope`}, nil)
		h.mustAPI(400, "POST", "/api/v1/destinations/"+slackDst.ID+"/transform-preview", map[string]any{
			"event": map[string]any{"type": "x"}, "transform": `{`}, nil)

		// Saving a transform that does not compile names where.
		var bad struct {
			Error struct{ Message string } `json:"error"`
		}
		if code := h.api("PATCH", "/api/v1/destinations/"+slackDst.ID, map[string]any{"transform": "{\"a\":\n event.nope}"}, &bad); code != 400 ||
			!strings.Contains(bad.Error.Message, "transform does not compile: line 2, column") {
			t.Fatalf("bad transform saved: %d %+v", code, bad)
		}

		// A transform that fails on an event records why, and sends nothing.
		h.mustAPI(200, "PATCH", "/api/v1/destinations/"+slackDst.ID, map[string]any{"transform": `{"x": event.payload.nope}`}, nil)
		before := len(slack.requests())
		var res struct {
			Success bool
			Attempt attempt
		}
		h.mustAPI(200, "POST", "/api/v1/destinations/"+slackDst.ID+"/test", nil, &res)
		if res.Success || !strings.Contains(res.Attempt.Error, "not sent: transform evaluation failed: no such key: nope") ||
			len(slack.requests()) != before {
			t.Fatalf("failing transform: %+v, requests %d → %d", res, before, len(slack.requests()))
		}
	})
}
