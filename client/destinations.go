package client

import (
	"context"
	"net/url"
	"time"
)

// Destination is where events are delivered: a webhook URL or, by Type, an
// event bus whose settings are in the object of that name.
type Destination struct {
	ID                  string            `json:"id"`
	Name                string            `json:"name"`
	Type                string            `json:"type,omitempty"`
	Description         string            `json:"description"`
	URL                 string            `json:"url"`
	Method              string            `json:"method"`
	Headers             map[string]string `json:"headers"` // values masked
	Signing             Signing           `json:"signing"`
	Filter              Filter            `json:"filter"`
	Retry               Retry             `json:"retry"`
	TimeoutSeconds      int               `json:"timeout_seconds"`
	Enabled             bool              `json:"enabled"`
	DisabledReason      string            `json:"disabled_reason,omitempty"`
	Paused              bool              `json:"paused"`
	AllowManualDispatch bool              `json:"allow_manual_dispatch"`
	MaxConcurrency      int               `json:"max_concurrency"`
	RateLimit           float64           `json:"rate_limit"`
	ConsecutiveFailures int               `json:"consecutive_failures"`
	// Transform is the CEL expression reshaping each delivery ("" = none).
	Transform string `json:"transform,omitempty"`
	// Ordering is concurrent (the default) or fifo; OrderingKey is fifo's
	// key template.
	Ordering    string `json:"ordering,omitempty"`
	OrderingKey string `json:"ordering_key,omitempty"`
	// Secret is the signing secret, present only in the answer that made it.
	Secret string `json:"secret,omitempty"`
	BusSettings
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// BusSettings holds the settings of event-bus destination types, one object
// per type; only the one named by the destination's type is set.
type BusSettings struct {
	EventBridge map[string]any `json:"eventbridge,omitempty"`
	NATS        map[string]any `json:"nats,omitempty"`
	RabbitMQ    map[string]any `json:"rabbitmq,omitempty"`
	Redis       map[string]any `json:"redis,omitempty"`
	Kafka       map[string]any `json:"kafka,omitempty"`
	MQTT        map[string]any `json:"mqtt,omitempty"`
}

// Signing says how outbound requests are signed.
type Signing struct {
	Scheme string `json:"scheme,omitempty"`
	// Algorithm is hmac-sha256 or, for standard-webhooks, ed25519.
	Algorithm string `json:"algorithm,omitempty"`
	// PublicKey and PreviousPublicKey are the whpk_ keys of an ed25519
	// destination (read only).
	PublicKey           string     `json:"public_key,omitempty"`
	PreviousPublicKey   string     `json:"previous_public_key,omitempty"`
	Header              string     `json:"header,omitempty"`
	TimestampHeader     string     `json:"timestamp_header,omitempty"`
	PreviousSecretUntil *time.Time `json:"previous_secret_until,omitempty"`
}

// Filter selects the events a destination receives; empty fields match all.
type Filter struct {
	EventTypes []string `json:"event_types"`
	Severities []string `json:"severities"`
	SourceIDs  []string `json:"source_ids"`
	Expression string   `json:"expression"`
}

// Retry bounds retries of failed deliveries.
type Retry struct {
	MaxRetries      *int  `json:"max_retries,omitempty"`
	ScheduleSeconds []int `json:"schedule_seconds,omitempty"`
}

// DestinationInput creates or changes a destination; nil fields are left as
// they are.
type DestinationInput struct {
	Name                *string            `json:"name,omitempty"`
	Type                *string            `json:"type,omitempty"`
	Description         *string            `json:"description,omitempty"`
	URL                 *string            `json:"url,omitempty"`
	Method              *string            `json:"method,omitempty"`
	Headers             *map[string]string `json:"headers,omitempty"`
	Signing             *Signing           `json:"signing,omitempty"`
	Filter              *Filter            `json:"filter,omitempty"`
	Retry               *Retry             `json:"retry,omitempty"`
	TimeoutSeconds      *int               `json:"timeout_seconds,omitempty"`
	Enabled             *bool              `json:"enabled,omitempty"`
	Paused              *bool              `json:"paused,omitempty"`
	AllowManualDispatch *bool              `json:"allow_manual_dispatch,omitempty"`
	MaxConcurrency      *int               `json:"max_concurrency,omitempty"`
	RateLimit           *float64           `json:"rate_limit,omitempty"`
	Transform           *string            `json:"transform,omitempty"`
	Ordering            *string            `json:"ordering,omitempty"`
	OrderingKey         *string            `json:"ordering_key,omitempty"`
	BusSettings
}

// TestResult is the outcome of a test alert sent to a destination.
type TestResult struct {
	DeliveryID string  `json:"delivery_id"`
	EventID    string  `json:"event_id"`
	Success    bool    `json:"success"`
	Attempt    Attempt `json:"attempt"`
}

// ListDestinations returns one page of destinations, newest first.
func (c *Client) ListDestinations(ctx context.Context, o ListOptions) (*Page[Destination], error) {
	return listPage[Destination](ctx, c, path("destinations"), url.Values{}, o)
}

// GetDestination returns one destination.
func (c *Client) GetDestination(ctx context.Context, id string) (*Destination, error) {
	var out Destination
	return &out, c.call(ctx, request{method: "GET", path: path("destinations", id)}, &out)
}

// CreateDestination creates a destination; the answer carries its signing
// secret, shown only this once.
func (c *Client) CreateDestination(ctx context.Context, in DestinationInput) (*Destination, error) {
	var out Destination
	return &out, c.call(ctx, request{method: "POST", path: path("destinations"), body: in}, &out)
}

// UpdateDestination changes the fields in of a destination.
func (c *Client) UpdateDestination(ctx context.Context, id string, in DestinationInput) (*Destination, error) {
	var out Destination
	return &out, c.call(ctx, request{method: "PATCH", path: path("destinations", id), body: in}, &out)
}

// DeleteDestination deletes a destination.
func (c *Client) DeleteDestination(ctx context.Context, id string) error {
	return c.call(ctx, request{method: "DELETE", path: path("destinations", id)}, nil)
}

// destinationAction posts to one of a destination's action endpoints.
func (c *Client) destinationAction(ctx context.Context, id, action string, body any) (*Destination, error) {
	var out Destination
	return &out, c.call(ctx, request{method: "POST", path: path("destinations", id, action), body: body}, &out)
}

// EnableDestination re-enables a disabled destination.
func (c *Client) EnableDestination(ctx context.Context, id string) (*Destination, error) {
	return c.destinationAction(ctx, id, "enable", nil)
}

// PauseDestination holds a destination's deliveries until it is resumed.
func (c *Client) PauseDestination(ctx context.Context, id string) (*Destination, error) {
	return c.destinationAction(ctx, id, "pause", nil)
}

// ResumeDestination releases a paused destination's deliveries.
func (c *Client) ResumeDestination(ctx context.Context, id string) (*Destination, error) {
	return c.destinationAction(ctx, id, "resume", nil)
}

// RotateDestinationSecret makes a new signing secret (in the answer's
// Secret); the old one keeps signing for graceSeconds (nil: the default).
func (c *Client) RotateDestinationSecret(ctx context.Context, id string, graceSeconds *int) (*Destination, error) {
	var body any
	if graceSeconds != nil {
		body = map[string]int{"grace_seconds": *graceSeconds}
	}
	return c.destinationAction(ctx, id, "rotate-secret", body)
}

// TestDestination sends a test alert to a destination now.
func (c *Client) TestDestination(ctx context.Context, id string) (*TestResult, error) {
	var out TestResult
	return &out, c.call(ctx, request{method: "POST", path: path("destinations", id, "test")}, &out)
}

// ResendFailed queues a destination's failed deliveries created between
// since and until (zero: unbounded) again, and returns how many.
func (c *Client) ResendFailed(ctx context.Context, id string, since, until time.Time) (int, error) {
	body := map[string]time.Time{}
	if !since.IsZero() {
		body["since"] = since.UTC()
	}
	if !until.IsZero() {
		body["until"] = until.UTC()
	}
	var out struct {
		Requeued int `json:"requeued"`
	}
	err := c.call(ctx, request{method: "POST", path: path("destinations", id, "resend-failed"), body: body}, &out)
	return out.Requeued, err
}

// TransformPreviewInput names the event to run a transform on: a stored one
// (EventID) or one given here (Event); Transform tries an expression in
// place of the destination's saved one.
type TransformPreviewInput struct {
	EventID   string                 `json:"event_id,omitempty"`
	Event     *TransformPreviewEvent `json:"event,omitempty"`
	Transform *string                `json:"transform,omitempty"`
}

// TransformPreviewEvent is an event given inline to a preview.
type TransformPreviewEvent struct {
	Type     string              `json:"type"`
	SourceID string              `json:"source_id,omitempty"`
	Payload  any                 `json:"payload"`
	Headers  map[string][]string `json:"headers,omitempty"`
}

// TransformPreview is what a transform would send, before Hookhub's own
// headers and the signature.
type TransformPreview struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ContentType string            `json:"content_type"`
	Headers     map[string]string `json:"headers"`
	Body        string            `json:"body"`
	BodyBase64  string            `json:"body_base64"`
}

// PreviewTransform runs a destination's transform on an event without
// sending anything.
func (c *Client) PreviewTransform(ctx context.Context, id string, in TransformPreviewInput) (*TransformPreview, error) {
	var out TransformPreview
	return &out, c.call(ctx, request{method: "POST", path: path("destinations", id, "transform-preview"), body: in}, &out)
}
