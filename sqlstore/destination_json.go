package sqlstore

import (
	"time"

	"github.com/hookhub/hookhub"
)

// destinationConfig is the stored JSON of a destination's non-secret settings;
// header values and signing secrets go to destinationSecrets, which is sealed.
type destinationConfig struct {
	Description         string        `json:"description,omitempty"`
	URL                 string        `json:"url,omitempty"`
	Method              string        `json:"method,omitempty"`
	Signing             signingConfig `json:"signing"`
	Filter              filterConfig  `json:"filter"`
	Retry               retryConfig   `json:"retry"`
	TimeoutSec          int           `json:"timeout_sec,omitempty"`
	AllowManualDispatch bool          `json:"allow_manual_dispatch,omitempty"`
	MaxConcurrency      int           `json:"max_concurrency,omitempty"`
	RateLimit           float64       `json:"rate_limit,omitempty"`
	Transform           string        `json:"transform,omitempty"`
	Ordering            string        `json:"ordering,omitempty"`
	OrderingKey         string        `json:"ordering_key,omitempty"`
	busConfig
}

type signingConfig struct {
	Scheme          string     `json:"scheme,omitempty"`
	Algorithm       string     `json:"algorithm,omitempty"`
	Header          string     `json:"header,omitempty"`
	TimestampHeader string     `json:"timestamp_header,omitempty"`
	PreviousUntil   *time.Time `json:"previous_until,omitempty"`
}

type filterConfig struct {
	EventTypes []string `json:"event_types,omitempty"`
	Severities []string `json:"severities,omitempty"`
	SourceIDs  []string `json:"source_ids,omitempty"`
	AlertTypes []string `json:"alert_types,omitempty"`
	LogTypes   []string `json:"log_types,omitempty"`
	Expression string   `json:"expression,omitempty"`
}

type retryConfig struct {
	MaxRetries      int   `json:"max_retries"`
	ScheduleSeconds []int `json:"schedule_seconds"` // null (default schedule) differs from []
}

type destinationSecrets struct {
	Headers               map[string]string `json:"headers,omitempty"`
	SigningSecret         string            `json:"signing_secret,omitempty"`
	SigningPreviousSecret string            `json:"signing_previous_secret,omitempty"`
	busSecrets
}

func destinationConfigOf(d *hookhub.Destination) (destinationConfig, destinationSecrets) {
	sg := d.Signing
	c := destinationConfig{
		Description:         d.Description,
		URL:                 d.URL,
		Method:              d.Method,
		Signing:             signingConfig{Scheme: sg.Scheme, Algorithm: sg.Algorithm, Header: sg.Header, TimestampHeader: sg.TimestampHeader},
		Filter:              filterConfig(d.Filter),
		Retry:               retryConfig(d.Retry),
		TimeoutSec:          d.TimeoutSec,
		AllowManualDispatch: d.AllowManualDispatch,
		MaxConcurrency:      d.MaxConcurrency,
		RateLimit:           d.RateLimit,
		Transform:           d.Transform,
		Ordering:            d.Ordering,
		OrderingKey:         d.OrderingKey,
	}
	if !sg.PreviousUntil.IsZero() {
		t := sg.PreviousUntil.UTC()
		c.Signing.PreviousUntil = &t
	}
	sec := destinationSecrets{Headers: d.Headers, SigningSecret: sg.Secret, SigningPreviousSecret: sg.PreviousSecret}
	c.busConfig, sec.busSecrets = busConfigOf(d)
	return c, sec
}

func (c destinationConfig) applyTo(d *hookhub.Destination, sec destinationSecrets) {
	d.Description = c.Description
	d.URL = c.URL
	d.Method = c.Method
	d.Headers = sec.Headers
	d.Signing = hookhub.SigningConfig{
		Scheme: c.Signing.Scheme, Algorithm: c.Signing.Algorithm, Header: c.Signing.Header, TimestampHeader: c.Signing.TimestampHeader,
		Secret: sec.SigningSecret, PreviousSecret: sec.SigningPreviousSecret,
	}
	if c.Signing.PreviousUntil != nil {
		d.Signing.PreviousUntil = c.Signing.PreviousUntil.UTC()
	}
	d.Filter = hookhub.Filter(c.Filter)
	d.Retry = hookhub.RetryPolicy(c.Retry)
	d.TimeoutSec = c.TimeoutSec
	d.AllowManualDispatch = c.AllowManualDispatch
	d.MaxConcurrency = c.MaxConcurrency
	d.RateLimit = c.RateLimit
	d.Transform = c.Transform
	d.Ordering, d.OrderingKey = c.Ordering, c.OrderingKey
	c.busConfig.applyTo(d, sec.busSecrets)
}
