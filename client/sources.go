package client

import (
	"context"
	"net/url"
	"time"
)

// Source receives webhooks at its URL.
type Source struct {
	ID             string          `json:"id"`
	Key            string          `json:"key"`
	URL            string          `json:"url"`
	Name           string          `json:"name"`
	Type           string          `json:"type"`
	Active         bool            `json:"active"`
	Verification   Verification    `json:"verification"`
	DestinationIDs []string        `json:"destination_ids"`
	ForwardHeaders []string        `json:"forward_headers"`
	AllowedMethods []string        `json:"allowed_methods"`
	MaxBodyBytes   int64           `json:"max_body_bytes"`
	ContentTypes   []string        `json:"content_types"`
	Response       *SourceResponse `json:"response,omitempty"`
	InactiveStatus int             `json:"inactive_status"`
	EventType      *EventTypeRule  `json:"event_type,omitempty"`
	Variables      []Variable      `json:"variables"`
	Retention      *Retention      `json:"retention,omitempty"`
	Alert          *AlertConfig    `json:"alert"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// Verification says how a source checks that requests are authentic.
// Secrets are write-only: answers leave them out and set SecretSet.
type Verification struct {
	Scheme            string  `json:"scheme,omitempty"`
	Secret            *string `json:"secret,omitempty"`
	PreviousSecret    *string `json:"previous_secret,omitempty"`
	Username          string  `json:"username,omitempty"`
	Password          *string `json:"password,omitempty"`
	Header            string  `json:"header,omitempty"`
	Prefix            string  `json:"prefix,omitempty"`
	Algorithm         string  `json:"algorithm,omitempty"`
	Encoding          string  `json:"encoding,omitempty"`
	Signed            string  `json:"signed,omitempty"`
	TimestampHeader   string  `json:"timestamp_header,omitempty"`
	IDHeader          string  `json:"id_header,omitempty"`
	ToleranceSeconds  int     `json:"tolerance_seconds,omitempty"`
	SecretSet         bool    `json:"secret_set,omitempty"`
	PreviousSecretSet bool    `json:"previous_secret_set,omitempty"`
}

// SourceResponse is what a source answers senders.
type SourceResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body"`
}

// EventTypeRule says where a source reads the event type.
type EventTypeRule struct {
	Header   string `json:"header,omitempty"`
	JSONPath string `json:"json_path,omitempty"`
	Default  string `json:"default,omitempty"`
}

// Variable extracts a value from each request, under an alias.
type Variable struct {
	Path  string `json:"path"`
	Alias string `json:"alias,omitempty"`
}

// Retention bounds how long a source's events are kept.
type Retention struct {
	MaxAgeSeconds int64 `json:"max_age_seconds"`
	MaxCount      int   `json:"max_count"`
}

// AlertConfig says how an alert source reads alerts.
type AlertConfig struct {
	Kind              string   `json:"kind"`
	GroupBy           string   `json:"group_by,omitempty"`
	TitlePath         string   `json:"title_path,omitempty"`
	SeverityPath      string   `json:"severity_path,omitempty"`
	StatusPath        string   `json:"status_path,omitempty"`
	FingerprintPaths  []string `json:"fingerprint_paths,omitempty"`
	LinkPath          string   `json:"link_path,omitempty"`
	DescriptionPath   string   `json:"description_path,omitempty"`
	ResolvedValues    []string `json:"resolved_values,omitempty"`
	ResolveExpression string   `json:"resolve_expression,omitempty"`
}

// SourceInput creates or changes a source; nil fields are left as they are.
type SourceInput struct {
	Name           *string         `json:"name,omitempty"`
	Type           *string         `json:"type,omitempty"`
	Active         *bool           `json:"active,omitempty"`
	Verification   *Verification   `json:"verification,omitempty"`
	DestinationIDs *[]string       `json:"destination_ids,omitempty"`
	ForwardHeaders *[]string       `json:"forward_headers,omitempty"`
	AllowedMethods *[]string       `json:"allowed_methods,omitempty"`
	MaxBodyBytes   *int64          `json:"max_body_bytes,omitempty"`
	ContentTypes   *[]string       `json:"content_types,omitempty"`
	Response       *SourceResponse `json:"response,omitempty"`
	InactiveStatus *int            `json:"inactive_status,omitempty"`
	EventType      *EventTypeRule  `json:"event_type,omitempty"`
	Variables      *[]Variable     `json:"variables,omitempty"`
	Retention      *Retention      `json:"retention,omitempty"`
	Alert          *AlertConfig    `json:"alert,omitempty"`
}

// Ptr returns a pointer to v, for the optional fields of inputs.
func Ptr[T any](v T) *T { return &v }

// ListSources returns one page of sources, newest first.
func (c *Client) ListSources(ctx context.Context, o ListOptions) (*Page[Source], error) {
	return listPage[Source](ctx, c, path("sources"), url.Values{}, o)
}

// GetSource returns one source.
func (c *Client) GetSource(ctx context.Context, id string) (*Source, error) {
	var out Source
	return &out, c.call(ctx, request{method: "GET", path: path("sources", id)}, &out)
}

// CreateSource creates a source.
func (c *Client) CreateSource(ctx context.Context, in SourceInput) (*Source, error) {
	var out Source
	return &out, c.call(ctx, request{method: "POST", path: path("sources"), body: in}, &out)
}

// UpdateSource changes the fields in of a source.
func (c *Client) UpdateSource(ctx context.Context, id string, in SourceInput) (*Source, error) {
	var out Source
	return &out, c.call(ctx, request{method: "PATCH", path: path("sources", id), body: in}, &out)
}

// DeleteSource deletes a source.
func (c *Client) DeleteSource(ctx context.Context, id string) error {
	return c.call(ctx, request{method: "DELETE", path: path("sources", id)}, nil)
}

// RotateSourceSecret makes secret the source's secret; the current one keeps
// verifying as the previous secret.
func (c *Client) RotateSourceSecret(ctx context.Context, id, secret string) (*Source, error) {
	var out Source
	body := map[string]string{"secret": secret}
	return &out, c.call(ctx, request{method: "POST", path: path("sources", id, "rotate-secret"), body: body}, &out)
}
