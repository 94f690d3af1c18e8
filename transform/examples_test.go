package transform_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/incident"
	"github.com/hookhub/hookhub/transform"
)

// docExamples returns the ready-made transforms of docs/transformations.md
// by the name on their "// example:" line, exactly as the docs show them.
func docExamples(t *testing.T) map[string]string {
	t.Helper()
	doc, err := os.ReadFile("../docs/transformations.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)```cel\n// example: (\\w+)\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		out[m[1]] = m[2]
	}
	if len(out) != 4 {
		t.Fatalf("found examples %v, want slack, teams, discord, panther", keys(out))
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// incidentEvent is an incident.triggered event as Hookhub sends it.
func incidentEvent(t *testing.T, link string) *hookhub.Event {
	t.Helper()
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	inc := &hookhub.Incident{ID: "inc_1", Title: "CPU high on web-1", Severity: hookhub.SeverityHigh, Status: hookhub.IncidentTriggered,
		Fingerprint: "fp", SourceID: "src_1", AlertCount: 1, Labels: map[string]string{"host": "web-1"},
		Description: "cpu > 90%", CreatedAt: at, LastSeenAt: at}
	e := &hookhub.TimelineEntry{Kind: hookhub.TimelineCreated, To: hookhub.IncidentTriggered, Actor: hookhub.ActorSystem}
	b, err := incident.Body(inc, e, "Prometheus", link)
	if err != nil {
		t.Fatal(err)
	}
	return &hookhub.Event{ID: "evt_inc", Type: incident.EventTriggered, Body: b, ReceivedAt: at}
}

func fixture(t *testing.T, name, typ string) *hookhub.Event {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return &hookhub.Event{ID: "evt_fx", Type: typ, SourceID: "src_fx", Body: b, ReceivedAt: time.Now()}
}

// run applies example name to ev and decodes the JSON body.
func run(t *testing.T, src string, ev *hookhub.Event) map[string]any {
	t.Helper()
	tr, err := transform.Compile(src)
	if err != nil {
		t.Fatalf("the example does not compile: %v", err)
	}
	out, err := tr.Apply(context.Background(), transform.EventOf(ev))
	if err != nil {
		t.Fatalf("on %s: %v", ev.Type, err)
	}
	if out.ContentType != transform.JSONType {
		t.Fatalf("content type %q", out.ContentType)
	}
	var m map[string]any
	if err := json.Unmarshal(out.Body, &m); err != nil {
		t.Fatalf("body %s: %v", out.Body, err)
	}
	return m
}

// at walks a decoded JSON value by keys and indexes.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestDocExamples(t *testing.T) {
	t.Parallel()
	ex := docExamples(t)
	inc := incidentEvent(t, "https://hub.example/incidents/inc_1")
	panther := fixture(t, "panther-alert.json", "RULE")
	ping := &hookhub.Event{ID: "evt_p", Type: "ping", Body: []byte(`{"destination_id":"dst_1"}`)}

	t.Run("slack", func(t *testing.T) {
		m := run(t, ex["slack"], inc)
		if m["text"] != "[HIGH] CPU high on web-1" || at(m, "blocks", 1, "fields", 1, "text") != "*Status*\ntriggered" ||
			at(m, "blocks", 3, "elements", 0, "text") != "<https://hub.example/incidents/inc_1|Open> · Prometheus" {
			t.Errorf("incident: %v", m)
		}
		if m := run(t, ex["slack"], panther); at(m, "blocks", 1, "fields", 1, "text") != "*Status*\nopen" ||
			at(m, "blocks", 0, "text", "text") != "New Alert: Suspicious traffic detected from [123.123.123.123]" {
			t.Errorf("panther alert: %v", m)
		}
		if m := run(t, ex["slack"], ping); m["text"] != "Hookhub is connected." {
			t.Errorf("ping: %v", m)
		}
	})
	t.Run("teams", func(t *testing.T) {
		m := run(t, ex["teams"], inc)
		card := at(m, "attachments", 0, "content")
		if at(m, "attachments", 0, "contentType") != "application/vnd.microsoft.card.adaptive" || at(card, "type") != "AdaptiveCard" ||
			at(card, "body", 0, "text") != "CPU high on web-1" || at(card, "body", 1, "facts", 1, "value") != "triggered" ||
			at(card, "actions", 0, "url") != "https://hub.example/incidents/inc_1" {
			t.Errorf("incident: %v", m)
		}
		noLink := run(t, ex["teams"], incidentEvent(t, ""))
		if actions, _ := at(noLink, "attachments", 0, "content", "actions").([]any); len(actions) != 0 {
			t.Errorf("no link, actions %v", actions)
		}
		run(t, ex["teams"], panther)
		run(t, ex["teams"], ping)
	})
	t.Run("discord", func(t *testing.T) {
		m := run(t, ex["discord"], inc)
		embed := at(m, "embeds", 0)
		if at(embed, "color") != 15105570.0 || at(embed, "url") != "https://hub.example/incidents/inc_1" ||
			at(embed, "fields", 1, "value") != "triggered" || at(embed, "timestamp") != "2026-11-01T12:00:00Z" {
			t.Errorf("incident: %v", m)
		}
		p := at(run(t, ex["discord"], panther), "embeds", 0).(map[string]any)
		if _, has := p["url"]; !has || p["color"] != 3447003.0 {
			t.Errorf("panther alert: %v", p)
		}
		noLink := at(run(t, ex["discord"], incidentEvent(t, "")), "embeds", 0).(map[string]any)
		if _, has := noLink["url"]; has {
			t.Errorf("an empty link was sent: %v", noLink)
		}
	})
	t.Run("panther", func(t *testing.T) {
		m := run(t, ex["panther"], fixture(t, "alertmanager-firing.json", "alertmanager.firing"))
		want := map[string]any{"id": "evt_fx", "createdAt": "2026-11-22T10:29:41.028058197Z", "severity": "CRITICAL", "type": "RULE",
			"link": "http://prom.example:9090/graph?g0.expr=cpu", "title": "CPU > 90% on web-1", "name": "HighCPU",
			"alertId": "cc6e49118c0ea32b", "description": "", "runbook": "", "version": "1"}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %v, want %v", k, m[k], v)
			}
		}
		tags, _ := m["tags"].([]any)
		if len(tags) != 3 || tags[0] != "alertname:HighCPU" || tags[2] != "severity:critical" {
			t.Errorf("tags = %v", m["tags"])
		}
		if at(m, "alertContext", "status") != "firing" || at(m, "alertContext", "alerts") != 1.0 {
			t.Errorf("alertContext = %v", m["alertContext"])
		}
		if len(m) != 13 {
			t.Errorf("%d fields, want Panther's 13: %v", len(m), m)
		}
	})
}
