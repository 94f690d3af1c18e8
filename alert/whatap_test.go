package alert_test

import (
	"maps"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestWhaTap(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "whatap"}
	labels := map[string]string{
		"projectName": "shop-prod", "oname": "web-01", "oid": "-1798512345", "pcode": "12345", "metricName": "cpu",
	}
	tests := []struct {
		file string
		want hookhub.Alert
	}{
		{"whatap/alert-critical.json", hookhub.Alert{
			Title: "CPU usage high", Severity: "critical", Status: "firing", Labels: labels,
			Description: "CPU 93.4% > 90% for 5m", StartsAt: time.UnixMilli(1795340000000).UTC(),
		}},
		{"whatap/alert-resolved.json", hookhub.Alert{
			Title: "CPU usage high", Severity: "critical", Status: "resolved", Labels: labels,
			Description: "CPU 41.0% back under 90%", StartsAt: time.UnixMilli(1795340600000).UTC(),
		}},
	}
	var fingerprints []string
	for _, tt := range tests {
		got := parseOne(t, cfg, fixture(t, tt.file))
		fingerprints = append(fingerprints, got.Fingerprint)
		if len(got.Fingerprint) != 64 {
			t.Errorf("%s: fingerprint %q is not a SHA-256 hex", tt.file, got.Fingerprint)
		}
		got.Fingerprint = ""
		if !equalAlerts(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, got, tt.want)
		}
	}
	if fingerprints[0] != fingerprints[1] {
		t.Errorf("firing and resolved fingerprints differ: %s, %s", fingerprints[0], fingerprints[1])
	}
}

func TestWhaTapFields(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "whatap"}
	base := `"uuid":"u","pcode":"12345","title":"CPU usage high"`
	tests := []struct {
		name, body string
		check      func(hookhub.Alert) bool
	}{
		{"status OK resolves", `{` + base + `,"status":"ok"}`,
			func(a hookhub.Alert) bool { return a.Status == "resolved" }},
		{"unknown status fires", `{` + base + `,"status":"WARN_AGAIN"}`,
			func(a hookhub.Alert) bool { return a.Status == "firing" }},
		{"large integers keep their digits", `{` + base + `,"oid":12345678901234567890}`,
			func(a hookhub.Alert) bool { return a.Labels["oid"] == "12345678901234567890" }},
		{"no level is info", `{` + base + `}`,
			func(a hookhub.Alert) bool { return a.Severity == "info" && a.StartsAt.IsZero() }},
		{"warning level", `{` + base + `,"level":"Warning"}`,
			func(a hookhub.Alert) bool { return a.Severity == "medium" }},
		{"time as string", `{` + base + `,"time":"1795340000000"}`,
			func(a hookhub.Alert) bool { return a.StartsAt.Equal(time.UnixMilli(1795340000000)) }},
		{"unreadable time is unknown", `{` + base + `,"time":"yesterday"}`,
			func(a hookhub.Alert) bool { return a.StartsAt.IsZero() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if a := parseOne(t, cfg, []byte(tt.body)); !tt.check(a) {
				t.Errorf("unexpected alert %+v", a)
			}
		})
	}
}

// TestWhaTapFingerprint checks that the fingerprint follows pcode, oid,
// metricName and title, and nothing else.
func TestWhaTapFingerprint(t *testing.T) {
	t.Parallel()
	fp := func(body string) string {
		return parseOne(t, hookhub.AlertConfig{Kind: "whatap"}, []byte(body)).Fingerprint
	}
	base := fp(`{"uuid":"1","pcode":1,"oid":2,"metricName":"cpu","title":"t"}`)
	if got := fp(`{"uuid":"2","pcode":"1","oid":"2","metricName":"cpu","title":"t","message":"m","level":"info"}`); got != base {
		t.Errorf("uuid, message or number-vs-string changed the fingerprint")
	}
	for _, body := range []string{
		`{"uuid":"1","pcode":2,"oid":2,"metricName":"cpu","title":"t"}`,
		`{"uuid":"1","pcode":1,"oid":3,"metricName":"cpu","title":"t"}`,
		`{"uuid":"1","pcode":1,"oid":2,"metricName":"mem","title":"t"}`,
		`{"uuid":"1","pcode":1,"oid":2,"metricName":"cpu","title":"u"}`,
	} {
		if fp(body) == base {
			t.Errorf("%s: same fingerprint as the base alert", body)
		}
	}
	if fp(`{"uuid":"1","pcode":1,"oid":2,"metricName":"cp","title":"ut"}`) == fp(`{"uuid":"1","pcode":1,"oid":2,"metricName":"cpu","title":"t"}`) {
		t.Error("moving a character from metricName to title kept the fingerprint")
	}
}

func TestWhaTapMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, msg string
	}{
		{"all", `{}`, "missing required fields: title, pcode, uuid"},
		{"title and uuid", `{"pcode":12345}`, "missing required fields: title, uuid"},
		{"empty and null", `{"title":" ","pcode":null,"uuid":"u"}`, "missing required fields: title, pcode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := alert.Parse(hookhub.AlertConfig{Kind: "whatap"}, nil, []byte(tt.body))
			wantError(t, err, hookhub.EUNPROCESSABLE, tt.msg)
		})
	}
}

// equalAlerts compares alerts field by field; times by instant.
func equalAlerts(a, b hookhub.Alert) bool {
	return a.Title == b.Title && a.Severity == b.Severity && a.Status == b.Status &&
		a.Fingerprint == b.Fingerprint && maps.Equal(a.Labels, b.Labels) && a.Link == b.Link &&
		a.Description == b.Description && a.Runbook == b.Runbook && a.StartsAt.Equal(b.StartsAt)
}
