package server

import (
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
)

// masked stands in for a secret value in API output.
const masked = "<masked>"

// destinationJSON is a destination as the API shows it. Header values and the
// signing secret are masked; the secret is shown once, on creation or rotation.
type destinationJSON struct {
	ID                  string            `json:"id"`
	Name                string            `json:"name"`
	Description         string            `json:"description"`
	Type                string            `json:"type"`
	URL                 string            `json:"url,omitempty"`
	Method              string            `json:"method,omitempty"`
	Headers             map[string]string `json:"headers"`
	Signing             signingJSON       `json:"signing"`
	Filter              filterJSON        `json:"filter"`
	Retry               retryJSON         `json:"retry"`
	TimeoutSeconds      int               `json:"timeout_seconds"`
	Enabled             bool              `json:"enabled"`
	DisabledReason      string            `json:"disabled_reason,omitempty"`
	Paused              bool              `json:"paused"`
	AllowManualDispatch bool              `json:"allow_manual_dispatch"`
	MaxConcurrency      int               `json:"max_concurrency"`
	RateLimit           float64           `json:"rate_limit"`
	ConsecutiveFailures int               `json:"consecutive_failures"`
	Transform           string            `json:"transform"`
	Ordering            string            `json:"ordering"`
	OrderingKey         string            `json:"ordering_key,omitempty"`
	Secret              string            `json:"secret,omitempty"`
	CreatedAt           time.Time         `json:"created_at"`
	UpdatedAt           time.Time         `json:"updated_at"`
	busJSON
}

type signingJSON struct {
	Scheme    string `json:"scheme"`
	Algorithm string `json:"algorithm,omitempty"`
	// PublicKey and PreviousPublicKey (during a rotation) are the whpk_
	// keys receivers verify ed25519 signatures with; output only.
	PublicKey         string     `json:"public_key,omitempty"`
	PreviousPublicKey string     `json:"previous_public_key,omitempty"`
	Header            string     `json:"header,omitempty"`
	TimestampHeader   string     `json:"timestamp_header,omitempty"`
	PreviousUntil     *time.Time `json:"previous_secret_until,omitempty"`
}

type filterJSON struct {
	EventTypes []string `json:"event_types"`
	Severities []string `json:"severities"`
	SourceIDs  []string `json:"source_ids"`
	AlertTypes []string `json:"alert_types"`
	LogTypes   []string `json:"log_types"`
	Expression string   `json:"expression"`
}

type retryJSON struct {
	MaxRetries      int   `json:"max_retries"`
	ScheduleSeconds []int `json:"schedule_seconds,omitempty"`
}

// retryInput is retry as sent: max_retries absent means the default, 0 means
// no retries.
type retryInput struct {
	MaxRetries      *int  `json:"max_retries"`
	ScheduleSeconds []int `json:"schedule_seconds"`
}

func destinationOut(d *hookhub.Destination) destinationJSON {
	h := make(map[string]string, len(d.Headers))
	for k := range d.Headers {
		h[k] = masked
	}
	out := destinationJSON{
		ID: d.ID, Name: d.Name, Description: d.Description, Type: d.Type, URL: d.URL, Method: d.Method, Headers: h,
		Signing: signingOut(d.Signing),
		Filter: filterJSON{EventTypes: nonNil(d.Filter.EventTypes), Severities: nonNil(d.Filter.Severities),
			SourceIDs: nonNil(d.Filter.SourceIDs), AlertTypes: nonNil(d.Filter.AlertTypes), LogTypes: nonNil(d.Filter.LogTypes),
			Expression: d.Filter.Expression},
		Retry:          retryJSON{MaxRetries: max(d.Retry.MaxRetries, 0), ScheduleSeconds: d.Retry.ScheduleSeconds},
		TimeoutSeconds: d.TimeoutSec, Enabled: d.Enabled, DisabledReason: d.DisabledReason, Paused: d.Paused,
		AllowManualDispatch: d.AllowManualDispatch, MaxConcurrency: d.MaxConcurrency, RateLimit: d.RateLimit,
		ConsecutiveFailures: d.ConsecutiveFailures, Transform: d.Transform,
		Ordering: orOrdering(d.Ordering), OrderingKey: d.OrderingKey, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		busJSON: busOut(d),
	}
	return out
}

// signingOut shows a destination's signing settings: never a secret, but the
// public keys of ed25519 ones.
func signingOut(sg hookhub.SigningConfig) signingJSON {
	out := signingJSON{Scheme: sg.Scheme, Algorithm: sg.Algorithm, Header: sg.Header, TimestampHeader: sg.TimestampHeader}
	if out.Algorithm == "" && sg.Scheme != hookhub.SignNone && sg.Scheme != "" {
		out.Algorithm = hookhub.SignAlgHMACSHA256
	}
	if pub, err := signing.PublicKey(sg.Secret); err == nil {
		out.PublicKey = pub
	}
	if !sg.PreviousUntil.IsZero() && sg.PreviousSecret != "" {
		t := sg.PreviousUntil.UTC()
		out.PreviousUntil = &t
		if pub, err := signing.PublicKey(sg.PreviousSecret); err == nil {
			out.PreviousPublicKey = pub
		}
	}
	return out
}

// destinationInput is the body of create and update; nil fields stay as they are.
type destinationInput struct {
	Name                *string            `json:"name"`
	Description         *string            `json:"description"`
	Type                *string            `json:"type"`
	URL                 *string            `json:"url"`
	Method              *string            `json:"method"`
	Headers             *map[string]string `json:"headers"`
	Signing             *signingJSON       `json:"signing"`
	Filter              *filterJSON        `json:"filter"`
	Retry               *retryInput        `json:"retry"`
	TimeoutSeconds      *int               `json:"timeout_seconds"`
	Enabled             *bool              `json:"enabled"`
	Paused              *bool              `json:"paused"`
	AllowManualDispatch *bool              `json:"allow_manual_dispatch"`
	MaxConcurrency      *int               `json:"max_concurrency"`
	RateLimit           *float64           `json:"rate_limit"`
	Transform           *string            `json:"transform"`
	Ordering            *string            `json:"ordering"`
	OrderingKey         *string            `json:"ordering_key"`
	busInput
}

// apply copies the given fields onto d. A header sent as "<masked>" keeps its
// stored value, so a client can send back what it read. A change of type
// drops the settings of the old one.
func (in *destinationInput) apply(d *hookhub.Destination) error {
	oldType := orDefaultType(d.Type)
	setIf(&d.Type, in.Type)
	d.Type = orDefaultType(d.Type)
	if d.Type != oldType && oldType == hookhub.DestinationWebhook {
		d.URL, d.Method, d.Headers, d.Signing = "", "", nil, hookhub.SigningConfig{}
	}
	if d.Type != oldType && d.Type == hookhub.DestinationWebhook {
		d.Signing = hookhub.SigningConfig{}
	}
	setIf(&d.Name, in.Name)
	setIf(&d.Description, in.Description)
	setIf(&d.URL, in.URL)
	setIf(&d.Method, in.Method)
	setIf(&d.TimeoutSec, in.TimeoutSeconds)
	setIf(&d.Enabled, in.Enabled)
	setIf(&d.Paused, in.Paused)
	setIf(&d.AllowManualDispatch, in.AllowManualDispatch)
	setIf(&d.MaxConcurrency, in.MaxConcurrency)
	setIf(&d.RateLimit, in.RateLimit)
	setIf(&d.Transform, in.Transform)
	setIf(&d.Ordering, in.Ordering)
	setIf(&d.OrderingKey, in.OrderingKey)
	if in.Ordering != nil && *in.Ordering == hookhub.OrderingConcurrent && in.OrderingKey == nil {
		d.OrderingKey = "" // switching ordering off drops the key it had
	}
	if in.Headers != nil {
		h := make(map[string]string, len(*in.Headers))
		for k, v := range *in.Headers {
			if v == masked {
				v = d.Headers[k]
			}
			h[k] = v
		}
		d.Headers = h
	}
	if sg := in.Signing; sg != nil {
		d.Signing.Scheme, d.Signing.Header, d.Signing.TimestampHeader = sg.Scheme, sg.Header, sg.TimestampHeader
		d.Signing.Algorithm = sg.Algorithm
	}
	if f := in.Filter; f != nil {
		d.Filter = hookhub.Filter{EventTypes: f.EventTypes, Severities: f.Severities, SourceIDs: f.SourceIDs,
			AlertTypes: f.AlertTypes, LogTypes: f.LogTypes, Expression: f.Expression}
	}
	if rt := in.Retry; rt != nil {
		d.Retry = hookhub.RetryPolicy{ScheduleSeconds: rt.ScheduleSeconds}
		switch {
		case rt.MaxRetries == nil:
			d.Retry.MaxRetries = hookhub.DefaultMaxRetries
		case *rt.MaxRetries == 0:
			d.Retry.MaxRetries = hookhub.NoRetries
		default:
			d.Retry.MaxRetries = *rt.MaxRetries
		}
	}
	return in.busInput.apply(d, oldType)
}

func orOrdering(o string) string {
	if o == "" {
		return hookhub.OrderingConcurrent
	}
	return o
}

func orDefaultType(t string) string {
	if t == "" {
		return hookhub.DestinationWebhook
	}
	return t
}
