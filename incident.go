package hookhub

import "time"

// Incident actions a person or the system can take.
const (
	ActionAcknowledge = "ack"
	ActionResolve     = "resolve"
	ActionClose       = "close"
	ActionReopen      = "reopen"
)

// ActorSystem is the timeline actor for changes Hookhub makes on its own,
// such as an auto-resolve when the sender reports an alert resolved.
const ActorSystem = "system"

// IsOpen reports whether an incident in status still gathers alerts.
func IsOpen(status string) bool {
	return status == IncidentTriggered || status == IncidentAcknowledged
}

// NextStatus returns the status an action moves an incident to, or an
// ECONFLICT error explaining why the action does not apply. The lifecycle is
// triggered → acknowledged → resolved → closed; resolve also applies to a
// triggered incident, and reopen brings a resolved or closed one back to
// triggered. Nothing is ever deleted: closing is the end.
func NextStatus(from, action string) (string, error) {
	var to string
	var ok bool
	switch action {
	case ActionAcknowledge:
		to, ok = IncidentAcknowledged, from == IncidentTriggered
	case ActionResolve:
		to, ok = IncidentResolved, IsOpen(from)
	case ActionClose:
		to, ok = IncidentClosed, from == IncidentResolved
	case ActionReopen:
		to, ok = IncidentTriggered, from == IncidentResolved || from == IncidentClosed
	default:
		return "", Errorf(EINVALID, "unknown incident action %q", action)
	}
	if !ok {
		if from == to {
			return "", Errorf(ECONFLICT, "incident is already %s", from)
		}
		return "", Errorf(ECONFLICT, "cannot %s an incident that is %s", action, from)
	}
	return to, nil
}

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
	Runbook     string
	CreatedAt   time.Time
	UpdatedAt   time.Time // last activity: an alert, a change or a comment
	LastSeenAt  time.Time // last alert

	AcknowledgedAt time.Time // zero until acknowledged
	ResolvedAt     time.Time // zero unless resolved or closed
	ClosedAt       time.Time
}

// IncidentFilter selects incidents to list, most recently active first.
type IncidentFilter struct {
	Status   string
	Severity string
	SourceID string
	Query    string // text in the title, case-insensitive
	Page
}

// AlertInput is one normalized alert to apply to the incidents.
type AlertInput struct {
	Alert    Alert
	SourceID string
	EventID  string // the stored raw event that carried it
	At       time.Time
	// ReopenWindow: a firing alert whose incident was resolved (not closed)
	// less than this long ago reopens it rather than opening a new one.
	ReopenWindow time.Duration
	// Announce, when set, makes the event announcing the change; it is
	// stored in the change's transaction.
	Announce Announcer
}

// Announcer makes the event that announces a change to an incident (nil for
// none). The store calls it inside the change's transaction and stores the
// event with it, so a change is never committed without its announcement. It
// may run more than once if the transaction is retried; only the last run's
// event is committed.
type Announcer func(inc *Incident, change *TimelineEntry) (*NewEvent, error)

// AlertOutcome is what applying an alert changed. Incident is nil when the
// alert touched nothing (a resolve with no open incident).
type AlertOutcome struct {
	Incident *Incident
	Created  bool
	// Change is the status change the alert caused, if any.
	Change *TimelineEntry
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
