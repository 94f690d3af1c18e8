package alert_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestPagerDuty(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "pagerduty"}
	amLabels := map[string]string{"source": "Alertmanager", "client": "Alertmanager"}
	amLink := "http://am.example:9093/#/alerts?receiver=pd"
	amKey := "34c148e03547f7e280016b711eb4b20dd1db97ca142452b6a1bfb2a2b946bfe9"
	tests := []struct {
		file string
		want hookhub.Alert
	}{
		{"pagerduty/events-v2-example.json", hookhub.Alert{
			Title: "DISK at 99% on machine prod-datapipe03.example.com", Severity: "critical", Status: "firing",
			Fingerprint: "srv01/mysql",
			Labels: map[string]string{"source": "prod-datapipe03.example.com", "component": "mysql",
				"group": "prod-datapipe", "class": "disk", "client": "Sample Monitoring Service"},
			Link:        "https://monitoring.service.com",
			Description: `{"free space":"1%","ping time":"1500ms","load avg":0.75}`,
			StartsAt:    time.Date(2015, 7, 17, 8, 42, 58, 315e6, time.UTC),
		}},
		{"pagerduty/alertmanager-trigger.json", hookhub.Alert{
			Title: "[FIRING:1] HighCPU (web-1:9100 critical)", Severity: "high", Status: "firing",
			Fingerprint: amKey, Labels: amLabels, Link: amLink,
			Description: string(compactDetails(t, "pagerduty/alertmanager-trigger.json")),
		}},
		{"pagerduty/alertmanager-resolve.json", hookhub.Alert{
			Title: "[RESOLVED] HighCPU (web-1:9100 critical)", Severity: "high", Status: "resolved",
			Fingerprint: amKey, Labels: amLabels, Link: amLink,
			Description: string(compactDetails(t, "pagerduty/alertmanager-resolve.json")),
		}},
	}
	for _, tt := range tests {
		got := parseOne(t, cfg, fixture(t, tt.file))
		if !equalAlerts(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, got, tt.want)
		}
	}
}

// compactDetails is a fixture's custom_details as compact JSON.
func compactDetails(t *testing.T, name string) []byte {
	t.Helper()
	var ev struct {
		Payload struct {
			CustomDetails json.RawMessage `json:"custom_details"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	return ev.Payload.CustomDetails // the fixtures are already compact
}

func TestPagerDutyActions(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "pagerduty"}
	tests := []struct {
		name, body string
		want       hookhub.Alert
	}{
		{"acknowledge without payload",
			`{"routing_key":"r","event_action":"acknowledge","dedup_key":"k1"}`,
			hookhub.Alert{Title: "k1", Severity: "info", Status: "acknowledged", Fingerprint: "k1", Labels: map[string]string{}}},
		{"resolve with summary",
			`{"routing_key":"r","event_action":"resolve","dedup_key":"k1","payload":{"summary":"s","severity":"warning"}}`,
			hookhub.Alert{Title: "s", Severity: "medium", Status: "resolved", Fingerprint: "k1", Labels: map[string]string{}}},
		{"link from links, details as string",
			`{"routing_key":"r","event_action":"trigger","dedup_key":"k2","links":[{"href":"https://a"},{"href":"https://b"}],
			  "payload":{"summary":"s","source":"h","severity":"info","custom_details":"plain text","timestamp":"2026-01-01T00:00:00Z"}}`,
			hookhub.Alert{Title: "s", Severity: "info", Status: "firing", Fingerprint: "k2", Labels: map[string]string{"source": "h"},
				Link: "https://a", Description: "plain text", StartsAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parseOne(t, cfg, []byte(tt.body)); !equalAlerts(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestPagerDutyGeneratedDedupKey checks that a trigger without a dedup_key
// gets a fresh 32-hex key, as PagerDuty does.
func TestPagerDutyGeneratedDedupKey(t *testing.T) {
	t.Parallel()
	body := []byte(`{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"error"}}`)
	cfg := hookhub.AlertConfig{Kind: "pagerduty"}
	a, b := parseOne(t, cfg, body), parseOne(t, cfg, body)
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	if !hex32.MatchString(a.Fingerprint) || !hex32.MatchString(b.Fingerprint) {
		t.Errorf("generated keys %q, %q are not 32 hex characters", a.Fingerprint, b.Fingerprint)
	}
	if a.Fingerprint == b.Fingerprint {
		t.Errorf("two triggers got the same generated key %q", a.Fingerprint)
	}
}

func TestPagerDutyInvalidEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, msg string
	}{
		{"empty object", `{}`, "missing required fields: routing_key, event_action"},
		{"trigger without payload", `{"routing_key":"r","event_action":"trigger"}`,
			"missing required fields: payload.summary, payload.source, payload.severity"},
		{"resolve without dedup key", `{"routing_key":"r","event_action":"resolve"}`,
			"missing required fields: dedup_key"},
		{"unknown action", `{"routing_key":"r","event_action":"snooze","dedup_key":"k"}`,
			`event_action must be trigger, acknowledge or resolve, not "snooze"`},
		{"action is case-sensitive", `{"routing_key":"r","event_action":"Trigger"}`, "event_action must be"},
		{"unknown severity", `{"routing_key":"r","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"high"}}`,
			`payload.severity must be critical, error, warning or info, not "high"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := alert.Parse(hookhub.AlertConfig{Kind: "pagerduty"}, nil, []byte(tt.body))
			wantError(t, err, hookhub.EINVALID, tt.msg)
		})
	}
}

func TestPagerDutyResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"accepted", alert.PagerDutyAccepted("srv01/mysql"),
			`{"status":"success","message":"Event processed","dedup_key":"srv01/mysql"}`},
		{"invalid", alert.PagerDutyInvalid(hookhub.Errorf(hookhub.EINVALID, `missing required fields: "routing_key"`)),
			`{"status":"invalid event","message":"Event object is invalid","errors":["missing required fields: \"routing_key\""]}`},
		{"invalid hides internal errors", alert.PagerDutyInvalid(json.Unmarshal([]byte("x"), new(any))),
			`{"status":"invalid event","message":"Event object is invalid","errors":["internal error"]}`},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestIntakePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, sub string
		want      bool
	}{
		{"", "", true},
		{hookhub.SourcePagerDuty, "", true},
		{hookhub.SourcePagerDuty, alert.PagerDutyEnqueuePath, true},
		{hookhub.SourceAlertmanager, alert.PagerDutyEnqueuePath, false},
		{"", alert.PagerDutyEnqueuePath, false},
		{hookhub.SourcePagerDuty, "/v2/change/enqueue", false},
	}
	for _, tt := range tests {
		if got := alert.IntakePath(tt.kind, tt.sub); got != tt.want {
			t.Errorf("IntakePath(%q, %q) = %v, want %v", tt.kind, tt.sub, got, tt.want)
		}
	}
}
