package hookhub

import "time"

// Incident statuses, in lifecycle order.
const (
	IncidentTriggered    = "triggered"
	IncidentAcknowledged = "acknowledged"
	IncidentResolved     = "resolved"
	IncidentClosed       = "closed"
)

// Severities, most to least urgent.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityInfo     = "info"
)

// Timeline entry kinds.
const (
	TimelineCreated         = "created"
	TimelineWebhookReceived = "webhook_received"
	TimelineStatusChanged   = "status_changed"
	TimelineCommented       = "commented"
)

// Incident groups alerts that share a fingerprint, with a lifecycle.
type Incident struct {
	ID          string
	Title       string
	Severity    string
	Status      string
	Fingerprint string
	SourceID    string
	AlertCount  int
	Labels      map[string]string
	Link        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LastSeenAt  time.Time
}

// TimelineEntry is one change to an incident.
type TimelineEntry struct {
	ID         string
	IncidentID string
	Kind       string
	At         time.Time
	Actor      string // system, user:<id>, apikey:<id>
	EventID    string
	From       string
	To         string
	Message    string
}
