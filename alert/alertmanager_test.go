package alert_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestAlertmanager(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "alertmanager"}
	labels := map[string]string{"alertname": "HighCPU", "instance": "web-1:9100", "severity": "critical"}
	startsAt := time.Date(2026, 11, 22, 10, 29, 41, 28058197, time.UTC)
	base := hookhub.Alert{
		Title: "CPU > 90% on web-1", Severity: "critical", Fingerprint: "cc6e49118c0ea32b", Labels: labels,
		Link: "http://prom.example:9090/graph?g0.expr=cpu", StartsAt: startsAt,
	}
	tests := []struct {
		file, status string
	}{
		{"alertmanager/webhook-firing.json", "firing"},
		{"alertmanager/webhook-resolved.json", "resolved"},
	}
	for _, tt := range tests {
		got := parseOne(t, cfg, fixture(t, tt.file))
		want := base
		want.Status = tt.status
		if !equalAlerts(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, got, want)
		}
	}
}

// TestAlertmanagerLabelsFingerprint checks that an alert without a
// fingerprint field gets the one Alertmanager computes from its labels.
func TestAlertmanagerLabelsFingerprint(t *testing.T) {
	t.Parallel()
	body := strings.Replace(string(fixture(t, "alertmanager/webhook-firing.json")), `"fingerprint":"cc6e49118c0ea32b"`, `"fingerprint":""`, 1)
	if got := parseOne(t, hookhub.AlertConfig{Kind: "alertmanager"}, []byte(body)).Fingerprint; got != "cc6e49118c0ea32b" {
		t.Errorf("fingerprint = %s, want Alertmanager's cc6e49118c0ea32b", got)
	}
}

func TestAlertmanagerFields(t *testing.T) {
	t.Parallel()
	body := `{"version":"4","groupKey":"g","status":"firing","alerts":[
	 {"status":"firing","labels":{"alertname":"DiskFull","severity":"warning"},
	  "annotations":{"description":"disk at 95%","runbook_url":"https://runbooks/disk"}},
	 {"status":"resolved","labels":{"alertname":"Down"},"annotations":{"summary":"host down"},"fingerprint":"f2"}]}`
	alerts, err := alert.Parse(hookhub.AlertConfig{Kind: "alertmanager"}, http.Header{}, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []hookhub.Alert{
		{Title: "DiskFull", Severity: "medium", Status: "firing", Fingerprint: alerts[0].Fingerprint,
			Labels:      map[string]string{"alertname": "DiskFull", "severity": "warning"},
			Description: "disk at 95%", Runbook: "https://runbooks/disk"},
		{Title: "host down", Severity: "info", Status: "resolved", Fingerprint: "f2",
			Labels: map[string]string{"alertname": "Down"}},
	}
	if len(alerts) != len(want) {
		t.Fatalf("got %d alerts, want %d", len(alerts), len(want))
	}
	for i := range want {
		if !equalAlerts(alerts[i], want[i]) {
			t.Errorf("alert %d:\n got %+v\nwant %+v", i, alerts[i], want[i])
		}
	}
	if len(alerts[0].Fingerprint) != 16 {
		t.Errorf("labels fingerprint %q is not 16 hex digits", alerts[0].Fingerprint)
	}
}

func TestAlertmanagerGroup(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "alertmanager", GroupBy: "group_key"}
	firing := parseOne(t, cfg, fixture(t, "alertmanager/webhook-firing.json"))
	resolved := parseOne(t, cfg, fixture(t, "alertmanager/webhook-resolved.json"))
	want := hookhub.Alert{
		Title: "CPU > 90% on web-1", Severity: "critical", Status: "firing",
		Fingerprint: `group:{}:{alertname="HighCPU"}`,
		Labels:      map[string]string{"alertname": "HighCPU", "instance": "web-1:9100", "severity": "critical"},
		Link:        "http://am.example:9093", StartsAt: time.Date(2026, 11, 22, 10, 29, 41, 28058197, time.UTC),
	}
	if !equalAlerts(firing, want) {
		t.Errorf("firing:\n got %+v\nwant %+v", firing, want)
	}
	want.Status = "resolved"
	if !equalAlerts(resolved, want) {
		t.Errorf("resolved:\n got %+v\nwant %+v", resolved, want)
	}

	// A group fires while any of its alerts does, as urgent as the worst.
	mixed := `{"groupKey":"k","commonLabels":{},"alerts":[
	 {"status":"resolved","labels":{"alertname":"A","severity":"critical"},"startsAt":"2026-01-02T00:00:00Z"},
	 {"status":"firing","labels":{"alertname":"B","severity":"warning"},"startsAt":"2026-01-01T00:00:00Z"}]}`
	got := parseOne(t, cfg, []byte(mixed))
	if got.Status != "firing" || got.Severity != "critical" || got.Title != "A" || got.Fingerprint != "group:k" ||
		!got.StartsAt.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("mixed group: %+v", got)
	}
}

func TestAlertmanagerMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, groupBy, body, msg string
	}{
		{"no alerts", "", `{"status":"firing"}`, "missing required fields: alerts"},
		{"empty alerts", "", `{"alerts":[]}`, "missing required fields: alerts"},
		{"no title", "", `{"alerts":[{"labels":{"alertname":"A"}},{"labels":{"job":"x"}}]}`,
			"missing required fields: alerts.1.labels.alertname"},
		{"group without key", "group_key", `{"alerts":[{"labels":{}}]}`,
			"missing required fields: groupKey, alerts.0.labels.alertname"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := alert.Parse(hookhub.AlertConfig{Kind: "alertmanager", GroupBy: tt.groupBy}, nil, []byte(tt.body))
			wantError(t, err, hookhub.EUNPROCESSABLE, tt.msg)
		})
	}
}
