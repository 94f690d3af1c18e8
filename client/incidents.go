package client

import (
	"context"
	"net/url"
	"time"
)

// Incident groups the alerts of one problem, with a lifecycle.
type Incident struct {
	ID                 string            `json:"id"`
	Title              string            `json:"title"`
	Severity           string            `json:"severity"`
	Status             string            `json:"status"`
	Fingerprint        string            `json:"fingerprint"`
	SourceID           string            `json:"source_id"`
	AlertCount         int               `json:"alert_count"`
	Labels             map[string]string `json:"labels"`
	Link               string            `json:"link"`
	Description        string            `json:"description"`
	Runbook            string            `json:"runbook"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
	LastSeenAt         time.Time         `json:"last_seen_at"`
	AcknowledgedAt     *time.Time        `json:"acknowledged_at"`
	ResolvedAt         *time.Time        `json:"resolved_at"`
	ClosedAt           *time.Time        `json:"closed_at"`
	Timeline           []TimelineEntry   `json:"timeline,omitempty"`
	TimelineNextCursor string            `json:"timeline_next_cursor,omitempty"`
}

// TimelineEntry is one thing that happened to an incident.
type TimelineEntry struct {
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

// IncidentListOptions filters and pages a list of incidents.
type IncidentListOptions struct {
	ListOptions
	Status   string
	Severity string
	SourceID string
	Query    string // text search
}

// ListIncidents returns one page of incidents, newest first.
func (c *Client) ListIncidents(ctx context.Context, o IncidentListOptions) (*Page[Incident], error) {
	q := url.Values{}
	setIf(q, "status", o.Status)
	setIf(q, "severity", o.Severity)
	setIf(q, "source_id", o.SourceID)
	setIf(q, "q", o.Query)
	return listPage[Incident](ctx, c, path("incidents"), q, o.ListOptions)
}

// GetIncident returns an incident with the start of its timeline.
func (c *Client) GetIncident(ctx context.Context, id string) (*Incident, error) {
	var out Incident
	return &out, c.call(ctx, request{method: "GET", path: path("incidents", id)}, &out)
}

// ListTimeline returns one page of an incident's timeline.
func (c *Client) ListTimeline(ctx context.Context, id string, o ListOptions) (*Page[TimelineEntry], error) {
	return listPage[TimelineEntry](ctx, c, path("incidents", id, "timeline"), url.Values{}, o)
}

// Incident lifecycle actions.
const (
	ActionAck     = "ack"
	ActionResolve = "resolve"
	ActionClose   = "close"
	ActionReopen  = "reopen"
)

// TransitionIncident applies an action (ActionAck, …) with an optional
// message recorded on the timeline.
func (c *Client) TransitionIncident(ctx context.Context, id, action, message string) (*Incident, error) {
	var body any
	if message != "" {
		body = map[string]string{"body": message}
	}
	var out Incident
	return &out, c.call(ctx, request{method: "POST", path: path("incidents", id, action), body: body}, &out)
}

// CommentIncident adds a comment to an incident's timeline.
func (c *Client) CommentIncident(ctx context.Context, id, body string) (*TimelineEntry, error) {
	var out TimelineEntry
	return &out, c.call(ctx, request{method: "POST", path: path("incidents", id, "comments"), body: map[string]string{"body": body}}, &out)
}
