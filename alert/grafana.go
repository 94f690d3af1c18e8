package alert

import (
	"maps"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// grafanaAlert is Grafana OnCall's formatted webhook. Severity and labels
// are not in its documented shape; they are read when a template adds them.
type grafanaAlert struct {
	AlertUID string            `json:"alert_uid"`
	Title    string            `json:"title"`
	State    string            `json:"state"`
	Link     string            `json:"link_to_upstream_details"`
	Message  string            `json:"message"`
	Severity string            `json:"severity"`
	Labels   map[string]string `json:"labels"`
}

// parseGrafana reads a Grafana OnCall formatted webhook. Its shape carries
// no severity, and an alert that reaches Hookhub from OnCall is one a team
// chose to be paged for, so the default is high rather than info.
func parseGrafana(_ hookhub.AlertConfig, _ http.Header, in input) ([]hookhub.Alert, error) {
	var g grafanaAlert
	if err := decodeObject(hookhub.SourceGrafana, in.raw, &g); err != nil {
		return nil, err
	}
	var m missing
	m.need(g.Title, "title")
	if err := m.err(hookhub.EUNPROCESSABLE); err != nil {
		return nil, err
	}
	a := hookhub.Alert{
		Title:       g.Title,
		Severity:    hookhub.SeverityHigh,
		Status:      hookhub.AlertFiring,
		Fingerprint: g.AlertUID,
		Labels:      maps.Clone(g.Labels),
		Link:        g.Link,
		Description: g.Message,
	}
	if blank(a.Fingerprint) {
		a.Fingerprint = g.Title
	}
	if a.Labels == nil {
		a.Labels = map[string]string{}
	}
	sev := g.Severity
	if blank(sev) {
		sev = g.Labels["severity"]
	}
	if !blank(sev) {
		a.Severity = NormalizeSeverity(sev)
	}
	switch strings.ToLower(strings.TrimSpace(g.State)) {
	case "ok", "resolved":
		a.Status = hookhub.AlertResolved
	}
	return []hookhub.Alert{a}, nil
}
