package client

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"
)

// Event is one received webhook or published event.
type Event struct {
	ID           string              `json:"id"`
	SourceID     string              `json:"source_id,omitempty"`
	Type         string              `json:"type"`
	Status       string              `json:"status"` // accepted, rejected or duplicate
	ReceivedAt   time.Time           `json:"received_at"`
	Method       string              `json:"method,omitempty"`
	Path         string              `json:"path,omitempty"`
	Query        map[string][]string `json:"query"`
	Headers      map[string][]string `json:"headers"`
	Body         *string             `json:"body,omitempty"`        // when the body is UTF-8
	BodyBase64   string              `json:"body_base64,omitempty"` // otherwise
	ClientIP     string              `json:"client_ip,omitempty"`
	Verification EventVerification   `json:"verification"`
	DedupKey     string              `json:"dedup_key,omitempty"`
	DuplicateOf  string              `json:"duplicate_of,omitempty"`
	Variables    map[string]any      `json:"variables"`
}

// EventVerification is how an event's signature was judged.
type EventVerification struct {
	Scheme string `json:"scheme"`
	Result string `json:"result"` // verified, failed or none
	Reason string `json:"reason,omitempty"`
}

// RawBody returns the body's exact bytes, decoding body_base64 when the
// body was not text. Lists and streams carry no body: fetch the event.
func (e *Event) RawBody() ([]byte, error) {
	if e.BodyBase64 != "" {
		return base64.StdEncoding.DecodeString(e.BodyBase64)
	}
	if e.Body != nil {
		return []byte(*e.Body), nil
	}
	return nil, nil
}

// EventListOptions filters and pages a list of events.
type EventListOptions struct {
	ListOptions
	SourceID string
	Type     string
	Status   string
	Since    time.Time
	Until    time.Time
}

// ListEvents returns one page of events, newest first.
func (c *Client) ListEvents(ctx context.Context, o EventListOptions) (*Page[Event], error) {
	q := url.Values{}
	setIf(q, "source_id", o.SourceID)
	setIf(q, "type", o.Type)
	setIf(q, "status", o.Status)
	setTime(q, "since", o.Since)
	setTime(q, "until", o.Until)
	return listPage[Event](ctx, c, path("events"), q, o.ListOptions)
}

// GetEvent returns one event with its body.
func (c *Client) GetEvent(ctx context.Context, id string) (*Event, error) {
	var out Event
	return &out, c.call(ctx, request{method: "GET", path: path("events", id)}, &out)
}

// PublishEvent publishes an event of the caller's own; a non-empty
// idempotencyKey returns the first event published with it within a day.
func (c *Client) PublishEvent(ctx context.Context, eventType string, payload any, idempotencyKey string) (*Event, error) {
	var out Event
	req := request{method: "POST", path: path("events"), body: map[string]any{"type": eventType, "payload": payload}}
	if idempotencyKey != "" {
		req.header = http.Header{"Idempotency-Key": {idempotencyKey}}
	}
	return &out, c.call(ctx, req, &out)
}

// Replay is what replaying an event started.
type Replay struct {
	EventID     string   `json:"event_id"`
	DeliveryIDs []string `json:"delivery_ids"`
}

// ReplayEvent routes a stored event to the current destinations again.
func (c *Client) ReplayEvent(ctx context.Context, id string) (*Replay, error) {
	var out Replay
	return &out, c.call(ctx, request{method: "POST", path: path("events", id, "replay")}, &out)
}

func setTime(q url.Values, key string, t time.Time) {
	if !t.IsZero() {
		q.Set(key, t.UTC().Format(time.RFC3339))
	}
}
