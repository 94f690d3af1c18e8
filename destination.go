package hookhub

import "time"

// Signing schemes for outbound requests.
const (
	SignStandardWebhooks = "standard-webhooks"
	SignHubSignature     = "hub-signature"
	SignTimestampBody    = "timestamp-body"
	SignNone             = "none"
)

// Signing algorithms of the standard-webhooks scheme. The other schemes are
// HMAC-SHA256 only.
const (
	SignAlgHMACSHA256 = "hmac-sha256" // symmetric, "v1" signatures, whsec_ secrets (the default)
	SignAlgEd25519    = "ed25519"     // asymmetric, "v1a" signatures, whsk_/whpk_ keys
)

// Delivery orderings of a destination.
const (
	OrderingConcurrent = "concurrent"
	OrderingFIFO       = "fifo"
)

// Destination is where events are delivered: a webhook URL, or an event bus
// (see the Destination* types).
type Destination struct {
	ID          string
	Name        string
	Description string
	Type        string // DestinationWebhook (the default) or an event bus type

	// Webhook settings.
	URL     string
	Method  string            // default POST
	Headers map[string]string // custom headers; values are secret
	Signing SigningConfig

	// The settings of an event bus type: the one of Type is set, the others
	// are nil.
	EventBridge *EventBridgeSettings
	NATS        *NATSSettings
	RabbitMQ    *RabbitMQSettings
	Redis       *RedisSettings
	Kafka       *KafkaSettings
	MQTT        *MQTTSettings

	Filter Filter
	Retry  RetryPolicy
	// Ordering is OrderingConcurrent (the default) or OrderingFIFO. With
	// FIFO, deliveries with the same OrderingKey (a template over the event;
	// empty: one key for the whole destination, or the Kafka key) go out one
	// at a time in the order they were stored. It applies to deliveries
	// created after it is set.
	Ordering    string
	OrderingKey string
	// Transform is a CEL expression that reshapes what each delivery sends
	// (see package transform); "" sends the event as it came.
	Transform string

	TimeoutSec     int // default 15
	Enabled        bool
	DisabledReason string
	// Paused holds new and pending deliveries undelivered until resumed;
	// unlike a disabled destination, a paused one keeps receiving events.
	Paused              bool
	AllowManualDispatch bool
	MaxConcurrency      int     // in-flight requests at once; default 10
	RateLimit           float64 // requests per second; 0 = unlimited

	ConsecutiveFailures int // failed deliveries in a row, for auto-disable

	CreatedAt time.Time
	UpdatedAt time.Time
}

// SigningConfig says how outbound requests are signed.
type SigningConfig struct {
	Scheme string
	// Algorithm is SignAlgHMACSHA256 (the default) or, for
	// standard-webhooks, SignAlgEd25519; Secret is then a whsk_ key.
	Algorithm       string
	Header          string // hub-signature / timestamp-body signature header
	TimestampHeader string // timestamp-body
	Secret          string // (secret)
	PreviousSecret  string // also signs until PreviousUntil (secret)
	PreviousUntil   time.Time
}

// Filter selects which events a destination receives; empty fields match all.
type Filter struct {
	EventTypes []string // exact or glob such as "incident.*"
	Severities []string
	SourceIDs  []string
	// AlertTypes match an alert's type (the payload's "type", as in
	// Panther's alert schema: RULE, POLICY, SIGNAL, …), case-insensitively.
	AlertTypes []string
	// LogTypes match the alert's log types (the payload's "logTypes" or
	// "logType", at the top or in "alertContext"), case-insensitively.
	LogTypes   []string
	Expression string // CEL over the event
}

// RetryPolicy bounds retries; nil ScheduleSeconds means the default schedule.
type RetryPolicy struct {
	// MaxRetries is how many times a failed delivery is tried again: 0
	// means the default (DefaultMaxRetries), NoRetries (or any negative
	// value) means none.
	MaxRetries      int
	ScheduleSeconds []int
}

// NoRetries is the MaxRetries of a destination whose failed deliveries are
// not tried again.
const NoRetries = -1

// Destination defaults.
const (
	DefaultTimeoutSec     = 15
	DefaultMaxConcurrency = 10
	DefaultMaxRetries     = 10
)

// SetDefaults fills unset settings with the documented defaults.
func (d *Destination) SetDefaults() {
	if d.Type == "" {
		d.Type = DestinationWebhook
	}
	if d.Type == DestinationWebhook {
		if d.Method == "" {
			d.Method = "POST"
		}
		if d.Signing.Scheme == "" {
			d.Signing.Scheme = SignStandardWebhooks
		}
		if d.Signing.Algorithm == "" && d.Signing.Scheme != SignNone {
			d.Signing.Algorithm = SignAlgHMACSHA256
		}
	} else if d.Signing.Scheme == "" {
		d.Signing.Scheme = SignNone
	}
	if d.MQTT != nil && d.MQTT.QoS == 0 {
		d.MQTT.QoS = 1
	}
	if d.Ordering == "" {
		d.Ordering = OrderingConcurrent
	}
	if d.TimeoutSec == 0 {
		d.TimeoutSec = DefaultTimeoutSec
	}
	if d.MaxConcurrency == 0 {
		d.MaxConcurrency = DefaultMaxConcurrency
	}
	if d.Retry.MaxRetries == 0 {
		d.Retry.MaxRetries = DefaultMaxRetries
	}
}

// Validate checks a destination's own settings (the URL's safety, signing,
// filters and templates are checked by the netguard, signing, filter and
// sender packages).
func (d *Destination) Validate() error {
	if d.Name == "" || len(d.Name) > 200 {
		return Errorf(EINVALID, "name is required (at most 200 characters)")
	}
	if err := d.validateType(); err != nil {
		return err
	}
	switch {
	case d.Type == DestinationWebhook && d.Method != "POST" && d.Method != "PUT" && d.Method != "PATCH":
		return Errorf(EINVALID, "method must be POST, PUT or PATCH")
	case d.TimeoutSec < 1 || d.TimeoutSec > 300:
		return Errorf(EINVALID, "timeout_seconds must be between 1 and 300")
	case d.MaxConcurrency < 1 || d.MaxConcurrency > 1000:
		return Errorf(EINVALID, "max_concurrency must be between 1 and 1000")
	case d.Ordering != OrderingConcurrent && d.Ordering != OrderingFIFO:
		return Errorf(EINVALID, "ordering must be %s or %s", OrderingConcurrent, OrderingFIFO)
	case d.OrderingKey != "" && d.Ordering != OrderingFIFO:
		return Errorf(EINVALID, "ordering_key needs ordering %s", OrderingFIFO)
	case d.RateLimit < 0:
		return Errorf(EINVALID, "rate_limit must not be negative")
	case d.Retry.MaxRetries < NoRetries || d.Retry.MaxRetries > 50:
		return Errorf(EINVALID, "retry.max_retries must be between 0 and 50")
	}
	for _, s := range d.Retry.ScheduleSeconds {
		if s < 1 || s > 7*24*3600 {
			return Errorf(EINVALID, "retry.schedule_seconds entries must be between 1 and 604800")
		}
	}
	if err := checkHeaders("headers", d.Headers); err != nil {
		return err
	}
	for what, h := range map[string]string{"signing.header": d.Signing.Header, "signing.timestamp_header": d.Signing.TimestampHeader} {
		if h != "" {
			if err := checkHeaderName(what, h); err != nil {
				return err
			}
		}
	}
	for _, s := range d.Filter.Severities {
		switch s {
		case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo:
		default:
			return Errorf(EINVALID, "filter.severities: %q is not one of critical, high, medium, low, info", s)
		}
	}
	return nil
}
