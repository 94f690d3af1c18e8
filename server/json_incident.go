package server

import (
	"time"

	"github.com/hookhub/hookhub"
)

type incidentJSON struct {
	ID             string            `json:"id"`
	Title          string            `json:"title"`
	Severity       string            `json:"severity"`
	Status         string            `json:"status"`
	Fingerprint    string            `json:"fingerprint"`
	SourceID       string            `json:"source_id"`
	AlertCount     int               `json:"alert_count"`
	Labels         map[string]string `json:"labels"`
	Link           string            `json:"link"`
	Description    string            `json:"description"`
	Runbook        string            `json:"runbook"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	LastSeenAt     time.Time         `json:"last_seen_at"`
	AcknowledgedAt *time.Time        `json:"acknowledged_at"`
	ResolvedAt     *time.Time        `json:"resolved_at"`
	ClosedAt       *time.Time        `json:"closed_at"`
	// Timeline is filled in only when one incident is fetched: its first
	// embeddedTimeline entries; TimelineNextCursor continues it through
	// /timeline when there are more.
	Timeline           []timelineJSON `json:"timeline,omitempty"`
	TimelineNextCursor string         `json:"timeline_next_cursor,omitempty"`
}

type timelineJSON struct {
	ID         string    `json:"id"`
	IncidentID string    `json:"incident_id"`
	Kind       string    `json:"kind"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	EventID    string    `json:"event_id,omitempty"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to,omitempty"`
	Message    string    `json:"message,omitempty"`
}

func incidentOut(inc *hookhub.Incident) incidentJSON {
	labels := inc.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	return incidentJSON{
		ID: inc.ID, Title: inc.Title, Severity: inc.Severity, Status: inc.Status, Fingerprint: inc.Fingerprint,
		SourceID: inc.SourceID, AlertCount: inc.AlertCount, Labels: labels, Link: inc.Link,
		Description: inc.Description, Runbook: inc.Runbook,
		CreatedAt: inc.CreatedAt.UTC(), UpdatedAt: inc.UpdatedAt.UTC(), LastSeenAt: inc.LastSeenAt.UTC(),
		AcknowledgedAt: optTime(inc.AcknowledgedAt), ResolvedAt: optTime(inc.ResolvedAt), ClosedAt: optTime(inc.ClosedAt),
	}
}

func timelineOut(e *hookhub.TimelineEntry) timelineJSON {
	return timelineJSON{ID: e.ID, IncidentID: e.IncidentID, Kind: e.Kind, At: e.At.UTC(), Actor: e.Actor,
		EventID: e.EventID, From: e.From, To: e.To, Message: e.Message}
}

// optTime is nil for the zero time, so JSON shows null rather than year 1.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
