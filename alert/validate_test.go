package alert_test

import (
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  hookhub.AlertConfig
		msg  string // "" when valid
	}{
		{"not an alert source", hookhub.AlertConfig{}, ""},
		{"whatap", hookhub.AlertConfig{Kind: "whatap"}, ""},
		{"pagerduty", hookhub.AlertConfig{Kind: "pagerduty"}, ""},
		{"grafana", hookhub.AlertConfig{Kind: "grafana"}, ""},
		{"panther", hookhub.AlertConfig{Kind: "panther"}, ""},
		{"alertmanager by group", hookhub.AlertConfig{Kind: "alertmanager", GroupBy: "group_key"}, ""},
		{"generic", hookhub.AlertConfig{Kind: "generic", TitlePath: "a.0.b", FingerprintPaths: []string{"host"},
			ResolveExpression: `body.state == "ok" || headers["x-state"] == "ok"`}, ""},
		{"dyn expression", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", ResolveExpression: `body.resolved`}, ""},
		{"unknown kind", hookhub.AlertConfig{Kind: "nagios"}, `alert kind "nagios" is unknown; use one of whatap, alertmanager`},
		{"unknown group_by", hookhub.AlertConfig{Kind: "alertmanager", GroupBy: "labels"}, `group_by must be empty or "group_key"`},
		{"group_by elsewhere", hookhub.AlertConfig{Kind: "whatap", GroupBy: "group_key"}, "applies only to alertmanager"},
		{"generic without title", hookhub.AlertConfig{Kind: "generic"}, "generic alerts need a title_path"},
		{"empty segment", hookhub.AlertConfig{Kind: "generic", TitlePath: "a..b"}, `title_path "a..b" is not a dotted path`},
		{"empty fingerprint path", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", FingerprintPaths: []string{""}},
			"fingerprint_paths may not contain an empty path"},
		{"bad link path", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", LinkPath: "links."}, "link_path"},
		{"expression syntax", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", ResolveExpression: `body.state ==`},
			"resolve_expression does not compile"},
		{"expression unknown variable", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", ResolveExpression: `event.x`},
			"undeclared reference to 'event'"},
		{"expression not bool", hookhub.AlertConfig{Kind: "generic", TitlePath: "t", ResolveExpression: `"resolved"`},
			"must evaluate to true or false, but it returns string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := alert.Validate(tt.cfg)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			wantError(t, err, hookhub.EINVALID, tt.msg)
		})
	}
}
