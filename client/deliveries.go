package client

import (
	"context"
	"net/url"
	"time"
)

// Delivery is one event on its way to one destination.
type Delivery struct {
	ID            string     `json:"id"`
	EventID       string     `json:"event_id"`
	DestinationID string     `json:"destination_id"`
	Status        string     `json:"status"` // pending, succeeded or failed
	AttemptCount  int        `json:"attempt_count"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	Held          bool       `json:"held,omitempty"`
	// OrderingKey is set on deliveries of fifo destinations.
	OrderingKey *string   `json:"ordering_key,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Attempts    []Attempt `json:"attempts,omitempty"`
}

// Attempt is one try at a delivery.
type Attempt struct {
	Number  int    `json:"number"`
	Trigger string `json:"trigger"`
	// Target is where it went: the webhook URL, or the broker and its
	// subject, topic or stream (credentials masked).
	Target          string              `json:"target"`
	URL             string              `json:"url"`
	StartedAt       time.Time           `json:"started_at"`
	DurationMS      int64               `json:"duration_ms"`
	StatusCode      int                 `json:"status_code"`
	RequestHeaders  map[string][]string `json:"request_headers"`
	ResponseHeaders map[string][]string `json:"response_headers"`
	ResponseBody    string              `json:"response_body"`
	Error           string              `json:"error,omitempty"`
	// Truncated names the parts cut to what an attempt keeps.
	Truncated []string `json:"truncated,omitempty"`
}

// DeliveryListOptions filters and pages a list of deliveries.
type DeliveryListOptions struct {
	ListOptions
	DestinationID string
	EventID       string
	Status        string
	Since         time.Time
	Until         time.Time
}

// ListDeliveries returns one page of deliveries, newest first.
func (c *Client) ListDeliveries(ctx context.Context, o DeliveryListOptions) (*Page[Delivery], error) {
	q := url.Values{}
	setIf(q, "destination_id", o.DestinationID)
	setIf(q, "event_id", o.EventID)
	setIf(q, "status", o.Status)
	setTime(q, "since", o.Since)
	setTime(q, "until", o.Until)
	return listPage[Delivery](ctx, c, path("deliveries"), q, o.ListOptions)
}

// GetDelivery returns a delivery with its attempts.
func (c *Client) GetDelivery(ctx context.Context, id string) (*Delivery, error) {
	var out Delivery
	return &out, c.call(ctx, request{method: "GET", path: path("deliveries", id)}, &out)
}

// ResendDelivery sends a delivery again.
func (c *Client) ResendDelivery(ctx context.Context, id string) (*Delivery, error) {
	var out Delivery
	return &out, c.call(ctx, request{method: "POST", path: path("deliveries", id, "resend")}, &out)
}
