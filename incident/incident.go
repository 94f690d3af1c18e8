// Package incident turns incident changes into the events Hookhub delivers to
// destinations. The body follows the alert schema of Panther's custom webhook
// destination, so receivers built for it work unchanged.
package incident

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// Event types raised for incident changes.
const (
	EventTriggered    = "incident.triggered"
	EventAcknowledged = "incident.acknowledged"
	EventResolved     = "incident.resolved"
	EventClosed       = "incident.closed"
	EventCommented    = "incident.commented"
)

// PayloadVersion is the version of the notification body's schema.
const PayloadVersion = "1"

// EventType returns the event a timeline entry raises, or "" when it raises
// none: an alert joining an open incident only adds to its count.
func EventType(e *hookhub.TimelineEntry) string {
	switch e.Kind {
	case hookhub.TimelineCreated:
		return EventTriggered
	case hookhub.TimelineCommented:
		return EventCommented
	case hookhub.TimelineStatusChanged:
		switch e.To {
		case hookhub.IncidentTriggered:
			return EventTriggered
		case hookhub.IncidentAcknowledged:
			return EventAcknowledged
		case hookhub.IncidentResolved:
			return EventResolved
		case hookhub.IncidentClosed:
			return EventClosed
		}
	}
	return ""
}

// Payload is the notification body.
type Payload struct {
	ID           string   `json:"id"`
	CreatedAt    string   `json:"createdAt"`
	Severity     string   `json:"severity"`
	Type         string   `json:"type"`
	Link         string   `json:"link"`
	Title        string   `json:"title"`
	Name         string   `json:"name"`
	AlertID      string   `json:"alertId"`
	AlertContext Context  `json:"alertContext"`
	Description  string   `json:"description"`
	Runbook      string   `json:"runbook"`
	Tags         []string `json:"tags"`
	Version      string   `json:"version"`
}

// Context is the change itself and the incident's state after it.
type Context struct {
	Status         string            `json:"status"`
	PreviousStatus string            `json:"previousStatus,omitempty"`
	Actor          string            `json:"actor"`
	Message        string            `json:"message,omitempty"`
	Fingerprint    string            `json:"fingerprint"`
	SourceID       string            `json:"sourceId,omitempty"`
	AlertCount     int               `json:"alertCount"`
	LastSeenAt     string            `json:"lastSeenAt"`
	Labels         map[string]string `json:"labels"`
	EventID        string            `json:"eventId,omitempty"` // the raw webhook behind the change
}

// Body renders the notification for a change. id is the incident ID, also
// the alert ID; severity is upper case as in Panther's schema; name is the
// source's name; link points at the incident; tags are its labels as
// "key:value", sorted.
func Body(inc *hookhub.Incident, e *hookhub.TimelineEntry, sourceName, link string) ([]byte, error) {
	tags := make([]string, 0, len(inc.Labels))
	for k, v := range inc.Labels {
		tags = append(tags, k+":"+v)
	}
	sort.Strings(tags)
	labels := inc.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	p := Payload{
		ID: inc.ID, CreatedAt: inc.CreatedAt.UTC().Format(time.RFC3339Nano), Severity: strings.ToUpper(inc.Severity),
		Type: EventType(e), Link: link, Title: inc.Title, Name: sourceName, AlertID: inc.ID,
		AlertContext: Context{
			Status: inc.Status, PreviousStatus: e.From, Actor: e.Actor, Message: e.Message,
			Fingerprint: inc.Fingerprint, SourceID: inc.SourceID, AlertCount: inc.AlertCount,
			LastSeenAt: inc.LastSeenAt.UTC().Format(time.RFC3339Nano), Labels: labels, EventID: e.EventID,
		},
		Description: inc.Description, Runbook: inc.Runbook, Tags: tags, Version: PayloadVersion,
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode incident notification: %w", err)
	}
	return b, nil
}
