package alert

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// pantherAlert is the alert schema of Panther's custom webhook destination,
// which Hookhub's own incident notifications also follow.
type pantherAlert struct {
	ID           string          `json:"id"`
	CreatedAt    string          `json:"createdAt"`
	Severity     string          `json:"severity"`
	Type         string          `json:"type"`
	Link         string          `json:"link"`
	Title        string          `json:"title"`
	Name         string          `json:"name"`
	AlertID      string          `json:"alertId"`
	AlertContext json.RawMessage `json:"alertContext"`
	Description  string          `json:"description"`
	Runbook      string          `json:"runbook"`
	Tags         []string        `json:"tags"`
	Status       string          `json:"status"`
}

// parsePanther reads a Panther alert. Panther sends alerts only as they
// fire; a status, at the top level or in alertContext as Hookhub's own
// notifications carry it, still resolves or acknowledges.
func parsePanther(_ hookhub.AlertConfig, _ http.Header, in input) ([]hookhub.Alert, error) {
	var p pantherAlert
	if err := decodeObject(hookhub.SourcePanther, in.raw, &p); err != nil {
		return nil, err
	}
	a := hookhub.Alert{
		Title:       p.Title,
		Severity:    NormalizeSeverity(p.Severity),
		Status:      pantherStatus(p),
		Fingerprint: p.AlertID,
		Labels:      map[string]string{},
		Link:        p.Link,
		Description: p.Description,
		Runbook:     p.Runbook,
		StartsAt:    parseTime(p.CreatedAt),
	}
	if blank(a.Title) {
		a.Title = p.Name
	}
	if blank(a.Fingerprint) {
		a.Fingerprint = p.ID
	}
	var m missing
	m.need(a.Title, "title")
	m.need(a.Fingerprint, "alertId")
	if err := m.err(hookhub.EUNPROCESSABLE); err != nil {
		return nil, err
	}
	for _, tag := range p.Tags {
		if tag != "" {
			a.Labels[tag] = "true"
		}
	}
	if p.Type != "" {
		a.Labels["type"] = p.Type
	}
	if p.Name != "" {
		a.Labels["name"] = p.Name
	}
	return []hookhub.Alert{a}, nil
}

// pantherStatus reads the status field, else alertContext.status. The
// context is free-form, so a context of another shape is simply no status.
func pantherStatus(p pantherAlert) string {
	status := p.Status
	if blank(status) {
		var ctx struct {
			Status string `json:"status"`
		}
		if json.Unmarshal(p.AlertContext, &ctx) == nil {
			status = ctx.Status
		}
	}
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "resolved", "closed":
		return hookhub.AlertResolved
	case "acknowledged":
		return hookhub.AlertAcknowledged
	}
	return hookhub.AlertFiring
}
