package incident

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

func TestEventType(t *testing.T) {
	for _, tc := range []struct {
		kind, to, want string
	}{
		{hookhub.TimelineCreated, hookhub.IncidentTriggered, EventTriggered},
		{hookhub.TimelineWebhookReceived, "", ""},
		{hookhub.TimelineCommented, "", EventCommented},
		{hookhub.TimelineStatusChanged, hookhub.IncidentAcknowledged, EventAcknowledged},
		{hookhub.TimelineStatusChanged, hookhub.IncidentResolved, EventResolved},
		{hookhub.TimelineStatusChanged, hookhub.IncidentClosed, EventClosed},
		{hookhub.TimelineStatusChanged, hookhub.IncidentTriggered, EventTriggered},
	} {
		if got := EventType(&hookhub.TimelineEntry{Kind: tc.kind, To: tc.to}); got != tc.want {
			t.Errorf("%s→%s: %q, want %q", tc.kind, tc.to, got, tc.want)
		}
	}
}

// TestBodySchema checks every field of the seed's alert schema is present
// with the right JSON type.
func TestBodySchema(t *testing.T) {
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	inc := &hookhub.Incident{ID: "inc_1", Title: "CPU high", Severity: hookhub.SeverityCritical, Status: hookhub.IncidentResolved,
		Fingerprint: "fp", SourceID: "src_1", AlertCount: 3, Labels: map[string]string{"host": "web-1", "env": "prod"},
		Description: "cpu > 90%", Runbook: "https://wiki/cpu", CreatedAt: at, LastSeenAt: at}
	e := &hookhub.TimelineEntry{Kind: hookhub.TimelineStatusChanged, From: hookhub.IncidentTriggered, To: hookhub.IncidentResolved,
		Actor: hookhub.ActorSystem, EventID: "evt_1"}
	b, err := Body(inc, e, "WhaTap prod", "https://hub.example/api/v1/incidents/inc_1")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"id": "inc_1", "createdAt": "2026-11-01T12:00:00Z", "severity": "CRITICAL", "type": EventResolved,
		"link": "https://hub.example/api/v1/incidents/inc_1", "title": "CPU high", "name": "WhaTap prod",
		"alertId": "inc_1", "description": "cpu > 90%", "runbook": "https://wiki/cpu", "version": PayloadVersion,
	} {
		if m[field] != want {
			t.Errorf("%s = %v, want %q", field, m[field], want)
		}
	}
	tags, _ := m["tags"].([]any)
	if len(tags) != 2 || tags[0] != "env:prod" || tags[1] != "host:web-1" {
		t.Errorf("tags = %v", m["tags"])
	}
	ctx, _ := m["alertContext"].(map[string]any)
	if ctx["status"] != "resolved" || ctx["previousStatus"] != "triggered" || ctx["actor"] != "system" ||
		ctx["eventId"] != "evt_1" || ctx["alertCount"] != float64(3) {
		t.Errorf("alertContext = %v", ctx)
	}
}
