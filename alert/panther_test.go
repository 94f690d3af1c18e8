package alert_test

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestPanther(t *testing.T) {
	t.Parallel()
	got := parseOne(t, hookhub.AlertConfig{Kind: "panther"}, fixture(t, "panther/alert-example.json"))
	want := hookhub.Alert{
		Title: "New Alert: Suspicious traffic detected from [123.123.123.123]", Severity: "info", Status: "firing",
		Fingerprint: "b90c19e66e160e194a5b3b94ec27fb7c",
		Labels: map[string]string{"Network Monitoring": "true", "Threat Intel": "true",
			"type": "RULE", "name": "Monitor Suspicious IPs"},
		Link:        "https://runpanther.io/alerts/b90c19e66e160e194a5b3b94ec27fb7c",
		Description: "This rule alerts on any activity outside of our IP address whitelist",
		StartsAt:    time.Date(2020, 10, 13, 3, 35, 24, 0, time.UTC),
	}
	if !equalAlerts(got, want) {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}
}

func TestPantherFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		check      func(hookhub.Alert) bool
	}{
		{"severity", `{"alertId":"a","title":"t","severity":"HIGH"}`,
			func(a hookhub.Alert) bool { return a.Severity == "high" }},
		{"id when no alertId, name when no title", `{"id":"Rule.X","name":"n"}`,
			func(a hookhub.Alert) bool { return a.Fingerprint == "Rule.X" && a.Title == "n" }},
		{"status resolves", `{"alertId":"a","title":"t","status":"RESOLVED"}`,
			func(a hookhub.Alert) bool { return a.Status == "resolved" }},
		{"context status, as Hookhub sends it", `{"alertId":"a","title":"t","alertContext":{"status":"acknowledged"}}`,
			func(a hookhub.Alert) bool { return a.Status == "acknowledged" }},
		{"closed resolves", `{"alertId":"a","title":"t","alertContext":{"status":"closed"}}`,
			func(a hookhub.Alert) bool { return a.Status == "resolved" }},
		{"context of another shape fires", `{"alertId":"a","title":"t","alertContext":{"status":3}}`,
			func(a hookhub.Alert) bool { return a.Status == "firing" }},
		{"AWSDateTime offset with seconds", `{"alertId":"a","title":"t","createdAt":"2020-10-13T05:35:24+02:00:00"}`,
			func(a hookhub.Alert) bool { return a.StartsAt.Equal(time.Date(2020, 10, 13, 3, 35, 24, 0, time.UTC)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if a := parseOne(t, hookhub.AlertConfig{Kind: "panther"}, []byte(tt.body)); !tt.check(a) {
				t.Errorf("unexpected alert %+v", a)
			}
		})
	}
}

func TestPantherMissing(t *testing.T) {
	t.Parallel()
	_, err := alert.Parse(hookhub.AlertConfig{Kind: "panther"}, nil, []byte(`{"severity":"HIGH","tags":[]}`))
	wantError(t, err, hookhub.EUNPROCESSABLE, "missing required fields: title, alertId")
}
