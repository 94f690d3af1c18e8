package alert_test

import (
	"net/http"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestGeneric(t *testing.T) {
	t.Parallel()
	body := `{"check":{"name":"disk","host":"db-1"},"level":"Warning","state":"OK",
	 "links":[{"url":"https://mon/1"}],"details":{"used":95,"unit":"%"},"count":12345678901234567890}`
	cfg := func(mod func(*hookhub.AlertConfig)) hookhub.AlertConfig {
		c := hookhub.AlertConfig{Kind: "generic", TitlePath: "check.name", SeverityPath: "level",
			StatusPath: "state", LinkPath: "links.0.url", DescriptionPath: "details"}
		mod(&c)
		return c
	}
	tests := []struct {
		name   string
		cfg    hookhub.AlertConfig
		header http.Header
		want   hookhub.Alert
	}{
		{"paths, default resolved values", cfg(func(*hookhub.AlertConfig) {}), nil, hookhub.Alert{
			Title: "disk", Severity: "medium", Status: "resolved", Fingerprint: "disk", Labels: map[string]string{},
			Link: "https://mon/1", Description: `{"unit":"%","used":95}`}},
		{"fingerprint paths joined", cfg(func(c *hookhub.AlertConfig) {
			c.FingerprintPaths = []string{"check.name", "check.host", "count"}
			c.ResolvedValues = []string{"done"}
		}), nil, hookhub.Alert{
			Title: "disk", Severity: "medium", Status: "firing", Fingerprint: "disk|db-1|12345678901234567890",
			Labels: map[string]string{}, Link: "https://mon/1", Description: `{"unit":"%","used":95}`}},
		{"expression over body", cfg(func(c *hookhub.AlertConfig) {
			c.StatusPath, c.ResolveExpression = "", `body.details.used < 100 && body.check.host.startsWith("db-")`
		}), nil, hookhub.Alert{
			Title: "disk", Severity: "medium", Status: "resolved", Fingerprint: "disk", Labels: map[string]string{},
			Link: "https://mon/1", Description: `{"unit":"%","used":95}`}},
		{"expression over headers", cfg(func(c *hookhub.AlertConfig) {
			c.StatusPath, c.ResolveExpression = "", `headers["x-alert-state"] == "closed"`
		}), http.Header{"X-Alert-State": {"closed"}}, hookhub.Alert{
			Title: "disk", Severity: "medium", Status: "resolved", Fingerprint: "disk", Labels: map[string]string{},
			Link: "https://mon/1", Description: `{"unit":"%","used":95}`}},
		{"expression error is not resolved", cfg(func(c *hookhub.AlertConfig) {
			c.StatusPath, c.ResolveExpression = "", `body.nothing.here == "x"`
		}), nil, hookhub.Alert{
			Title: "disk", Severity: "medium", Status: "firing", Fingerprint: "disk", Labels: map[string]string{},
			Link: "https://mon/1", Description: `{"unit":"%","used":95}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			alerts, err := alert.Parse(tt.cfg, tt.header, []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts) != 1 || !equalAlerts(alerts[0], tt.want) {
				t.Errorf("\n got %+v\nwant %+v", alerts, tt.want)
			}
		})
	}
}

// TestGenericFixtures reads the other senders' fixtures through paths, as a
// user would before a dedicated kind existed.
func TestGenericFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		cfg    hookhub.AlertConfig
		title  string
		status string
	}{
		{"whatap/alert-resolved.json", hookhub.AlertConfig{TitlePath: "title", StatusPath: "status",
			FingerprintPaths: []string{"pcode", "oid"}, ResolvedValues: []string{"RESOLVED", "OK"}}, "CPU usage high", "resolved"},
		{"alertmanager/webhook-firing.json", hookhub.AlertConfig{TitlePath: "alerts.0.annotations.summary",
			StatusPath: "status"}, "CPU > 90% on web-1", "firing"},
		{"pagerduty/alertmanager-resolve.json", hookhub.AlertConfig{TitlePath: "payload.summary",
			ResolveExpression: `body.event_action == "resolve"`}, "[RESOLVED] HighCPU (web-1:9100 critical)", "resolved"},
	}
	for _, tt := range tests {
		tt.cfg.Kind = "generic"
		a := parseOne(t, tt.cfg, fixture(t, tt.file))
		if a.Title != tt.title || a.Status != tt.status {
			t.Errorf("%s: title %q status %q, want %q %q", tt.file, a.Title, a.Status, tt.title, tt.status)
		}
	}
}

func TestGenericFingerprintEscaping(t *testing.T) {
	t.Parallel()
	cfg := hookhub.AlertConfig{Kind: "generic", TitlePath: "t", FingerprintPaths: []string{"a", "b"}}
	x := parseOne(t, cfg, []byte(`{"t":"t","a":"x|y","b":"z"}`)).Fingerprint
	y := parseOne(t, cfg, []byte(`{"t":"t","a":"x","b":"y|z"}`)).Fingerprint
	if x == y {
		t.Errorf("different values joined to the same fingerprint %q", x)
	}
}

func TestGenericMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		cfg        hookhub.AlertConfig
		code, msg  string
	}{
		{"title", `{"name":"x"}`, hookhub.AlertConfig{TitlePath: "alert.title"},
			hookhub.EUNPROCESSABLE, "missing required fields: alert.title"},
		{"empty title and fingerprint paths", `{"alert":{"title":""},"host":null,"items":[1]}`,
			hookhub.AlertConfig{TitlePath: "alert.title", FingerprintPaths: []string{"host", "items.1", "items.0"}},
			hookhub.EUNPROCESSABLE, "missing required fields: alert.title, host, items.1"},
		{"path through a scalar", `{"alert":"x"}`, hookhub.AlertConfig{TitlePath: "alert.title"},
			hookhub.EUNPROCESSABLE, "alert.title"},
		{"bad stored expression", `{"t":"x"}`, hookhub.AlertConfig{TitlePath: "t", ResolveExpression: "body.("},
			hookhub.EINVALID, "resolve_expression does not compile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Kind = "generic"
			_, err := alert.Parse(tt.cfg, nil, []byte(tt.body))
			wantError(t, err, tt.code, tt.msg)
		})
	}
}
