package alert_test

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestGrafana(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "grafana"}
	firing := fixture(t, "grafana/formatted-webhook.json")
	resolved := []byte(strings.Replace(string(firing), `"state":"alerting"`, `"state":"ok"`, 1))
	base := hookhub.Alert{
		Title: "TestAlert: The whole system is down", Severity: "high",
		Fingerprint: "08d6891a-835c-e661-39fa-96b6a9e26552", Labels: map[string]string{},
		Link:        "https://en.wikipedia.org/wiki/Downtime",
		Description: "This alert was sent by user for the demonstration purposes\nSmth happened. Oh no!",
	}
	tests := []struct {
		name   string
		body   []byte
		status string
	}{
		{"alerting", firing, "firing"},
		{"ok", resolved, "resolved"},
	}
	for _, tt := range tests {
		want := base
		want.Status = tt.status
		if got := parseOne(t, cfg, tt.body); !equalAlerts(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, want)
		}
	}
}

func TestGrafanaFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		check      func(hookhub.Alert) bool
	}{
		{"severity field", `{"alert_uid":"u","title":"t","severity":"warning"}`,
			func(a hookhub.Alert) bool { return a.Severity == "medium" }},
		{"severity label", `{"alert_uid":"u","title":"t","labels":{"severity":"critical","team":"db"}}`,
			func(a hookhub.Alert) bool { return a.Severity == "critical" && a.Labels["team"] == "db" }},
		{"field before label", `{"alert_uid":"u","title":"t","severity":"low","labels":{"severity":"critical"}}`,
			func(a hookhub.Alert) bool { return a.Severity == "low" }},
		{"no uid: title is the fingerprint", `{"title":"t","state":"OK"}`,
			func(a hookhub.Alert) bool { return a.Fingerprint == "t" && a.Status == "resolved" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if a := parseOne(t, hookhub.AlertConfig{Kind: "grafana"}, []byte(tt.body)); !tt.check(a) {
				t.Errorf("unexpected alert %+v", a)
			}
		})
	}
}

func TestGrafanaMissing(t *testing.T) {
	t.Parallel()
	_, err := alert.Parse(hookhub.AlertConfig{Kind: "grafana"}, nil, []byte(`{"alert_uid":"u","state":"alerting"}`))
	wantError(t, err, hookhub.EUNPROCESSABLE, "missing required fields: title")
}
