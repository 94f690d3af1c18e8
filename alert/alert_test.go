package alert_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

// fixture reads testdata/<name>.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseOne parses body and requires exactly one alert.
func parseOne(t *testing.T, cfg hookhub.AlertConfig, body []byte) hookhub.Alert {
	t.Helper()
	alerts, err := alert.Parse(cfg, http.Header{}, body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(alerts) != 1 {
		t.Fatalf("got %d alerts, want 1", len(alerts))
	}
	return alerts[0]
}

// wantError checks err's code and that its message contains every part.
func wantError(t *testing.T, err error, code string, parts ...string) {
	t.Helper()
	if got := hookhub.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	msg := hookhub.ErrorMessage(err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("error message %q does not contain %q", msg, p)
		}
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	want := []string{"whatap", "alertmanager", "pagerduty", "grafana", "panther", "generic"}
	if got := alert.Kinds(); !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
}

func TestParseUnknownKind(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"", "nagios"} {
		_, err := alert.Parse(hookhub.AlertConfig{Kind: kind}, nil, []byte(`{}`))
		wantError(t, err, hookhub.EINVALID, "unknown alert kind")
	}
}

// TestParseBadBody checks that every kind answers 400 to a body it cannot
// read, whatever the cause.
func TestParseBadBody(t *testing.T) {
	t.Parallel()
	bodies := []struct {
		name, body, msg string
	}{
		{"empty", ``, "not valid JSON"},
		{"not JSON", `title=x`, "not valid JSON"},
		{"truncated", `{"title":"x"`, "not valid JSON"},
		{"two values", `{} {}`, "not valid JSON"},
	}
	for _, kind := range alert.Kinds() {
		cfg := hookhub.AlertConfig{Kind: kind, TitlePath: "title"}
		for _, b := range bodies {
			t.Run(kind+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				_, err := alert.Parse(cfg, nil, []byte(b.body))
				wantError(t, err, hookhub.EINVALID, kind, b.msg)
			})
		}
	}
}

// TestParseWrongShape checks that fields of the wrong JSON type are 400,
// naming the field.
func TestParseWrongShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, body string
		msg        []string
	}{
		{"whatap", `[{"title":"x"}]`, []string{"must be a JSON object"}},
		{"whatap", `{"title":{"a":1},"pcode":1,"uuid":"u"}`, []string{"field title"}},
		{"alertmanager", `"firing"`, []string{"must be a JSON object"}},
		{"alertmanager", `{"alerts":{"status":"firing"}}`, []string{"field alerts", "an array"}},
		{"alertmanager", `{"alerts":[{"labels":{"severity":1}}]}`, []string{"field alerts.labels", "a string, not number"}},
		{"alertmanager", `{"version":"3","alerts":[]}`, []string{"version"}},
		{"alertmanager", `{"alerts":[{"startsAt":"yesterday"}]}`, []string{"wrong shape"}},
		{"pagerduty", `{"payload":"down"}`, []string{"field payload", "an object"}},
		{"pagerduty", `{"links":[{"href":1}]}`, []string{"links.href"}},
		{"grafana", `{"title":["a"]}`, []string{"field title"}},
		{"panther", `{"tags":"a,b"}`, []string{"field tags", "an array"}},
		{"panther", `null`, []string{"must be a JSON object"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			_, err := alert.Parse(hookhub.AlertConfig{Kind: tt.kind}, nil, []byte(tt.body))
			wantError(t, err, hookhub.EINVALID, tt.msg...)
		})
	}
}

// fuzzConfigs are the configurations FuzzParse runs a body through.
func fuzzConfigs() []hookhub.AlertConfig {
	return []hookhub.AlertConfig{
		{Kind: "whatap"},
		{Kind: "alertmanager"},
		{Kind: "alertmanager", GroupBy: "group_key"},
		{Kind: "pagerduty"},
		{Kind: "grafana"},
		{Kind: "panther"},
		{Kind: "generic", TitlePath: "title", SeverityPath: "level", StatusPath: "status",
			FingerprintPaths: []string{"pcode", "alerts.0.fingerprint"}, LinkPath: "link", DescriptionPath: "message",
			ResolveExpression: `has(body.state) && body.state == "ok" || headers["x-state"] == "ok"`},
		{Kind: "generic", TitlePath: "payload.summary"},
	}
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	configs := fuzzConfigs()
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i := range configs {
			f.Add(uint8(i), body)
		}
	}
	f.Add(uint8(6), []byte(`{"title":"t","pcode":1,"alerts":[{"fingerprint":"x"}],"state":"ok"}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		cfg := configs[int(which)%len(configs)]
		alerts, err := alert.Parse(cfg, http.Header{"X-State": {"ok"}}, body)
		if err != nil {
			if c := hookhub.ErrorCode(err); c != hookhub.EINVALID && c != hookhub.EUNPROCESSABLE {
				t.Fatalf("%s: error code %q: %v", cfg.Kind, c, err)
			}
			return
		}
		if len(alerts) == 0 {
			t.Fatalf("%s: no alerts and no error", cfg.Kind)
		}
		for _, a := range alerts {
			checkAlert(t, cfg.Kind, a)
		}
	})
}

// checkAlert checks what every parsed alert promises.
func checkAlert(t *testing.T, kind string, a hookhub.Alert) {
	t.Helper()
	if strings.TrimSpace(a.Title) == "" || a.Fingerprint == "" {
		t.Fatalf("%s: empty title or fingerprint: %+v", kind, a)
	}
	if alert.NormalizeSeverity(a.Severity) != a.Severity {
		t.Fatalf("%s: severity %q is not normalized", kind, a.Severity)
	}
	switch a.Status {
	case hookhub.AlertFiring, hookhub.AlertAcknowledged, hookhub.AlertResolved:
	default:
		t.Fatalf("%s: status %q", kind, a.Status)
	}
	if a.Labels == nil {
		t.Fatalf("%s: nil labels", kind)
	}
}
