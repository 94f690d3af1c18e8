package hookhub

import "time"

// Source types: a provider preset or generic. A type implies its verification
// scheme and how the event type is read; alert types also say how alerts are read.
const (
	SourceGeneric          = "generic"
	SourceGitHub           = "github"
	SourceSnyk             = "snyk"
	SourceStripe           = "stripe"
	SourceSlack            = "slack"
	SourceShopify          = "shopify"
	SourceZendesk          = "zendesk"
	SourceStandardWebhooks = "standard-webhooks"
	SourcePagerDuty        = "pagerduty"
	SourceWhaTap           = "whatap"
	SourceAlertmanager     = "alertmanager"
	SourceGrafana          = "grafana"
	SourcePanther          = "panther"
)

// SourceTypes lists every accepted source type.
var SourceTypes = []string{
	SourceGeneric, SourceGitHub, SourceSnyk, SourceStripe, SourceSlack, SourceShopify,
	SourceZendesk, SourceStandardWebhooks, SourcePagerDuty, SourceWhaTap,
	SourceAlertmanager, SourceGrafana, SourcePanther,
}

// Source is an inbound endpoint that one sending system posts to at /hooks/{Key}.
type Source struct {
	ID     string
	Name   string
	Type   string
	Key    string // unguessable URL key
	Active bool

	Verification   Verification
	AllowedMethods []string // default POST
	MaxBodyBytes   int64    // default 1 MiB
	ContentTypes   []string // accepted media types; default application/json
	Response       Response // what a sender gets on success
	InactiveStatus int      // status an inactive source answers; default 403

	EventType EventTypeRule
	Variables []Variable

	DestinationIDs []string // forward every accepted event to these
	ForwardHeaders []string // original headers passed through when forwarding

	Retention Retention

	// RateLimit bounds how fast this source's requests are accepted, per
	// process; the zero value is unlimited.
	RateLimit RateLimit

	// Alert, when its Kind is set, makes this an alert source: each accepted
	// webhook is read as alerts that open, join or resolve incidents.
	Alert AlertConfig

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Verification says how a source proves a request comes from its sender.
// Secret fields are encrypted at rest by the store.
type Verification struct {
	Scheme string // none, basic, token, hmac, or a preset name

	Secret         string // signing secret or token (secret)
	PreviousSecret string // still accepted during rotation (secret)
	Username       string // basic
	Password       string // basic (secret)

	Header          string // token or hmac header name
	Prefix          string // hmac signature prefix such as "sha256="
	Algorithm       string // hmac: sha1, sha256, sha512
	Encoding        string // hmac: hex or base64
	Signed          string // hmac: body, timestamp+body, id.timestamp.body
	TimestampHeader string
	IDHeader        string
	ToleranceSec    int // timestamp tolerance; default 300
}

// Response is the status, headers and body a successful sender receives.
type Response struct {
	Status  int
	Headers map[string]string
	Body    string
}

// EventTypeRule reads an event's type from a header, else a JSON body path, else Default.
type EventTypeRule struct {
	Header   string
	JSONPath string
	Default  string
}

// Variable selects one value of a request for routing, incidents and workflows.
// Path is "header.<Name>", "query.<key>" or "body.<path>" such as "body.b.c".
type Variable struct {
	Path  string
	Alias string
}

// RateLimit is a token bucket: PerSecond requests a second on average, with
// bursts of up to Burst (default: one second's worth). Zero PerSecond is
// unlimited.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Retention bounds how long and how many of a source's events are kept (0 = forever).
type Retention struct {
	MaxAgeSec int64
	MaxCount  int
}

// DefaultMaxBodyBytes is the default largest body a source accepts.
const DefaultMaxBodyBytes = 1 << 20

// SetDefaults fills unset settings with the documented defaults.
func (s *Source) SetDefaults() {
	if s.Type == "" {
		s.Type = SourceGeneric
	}
	if len(s.AllowedMethods) == 0 {
		s.AllowedMethods = []string{"POST"}
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if len(s.ContentTypes) == 0 {
		s.ContentTypes = []string{"application/json"}
		if s.Type == SourceSlack {
			s.ContentTypes = append(s.ContentTypes, "application/x-www-form-urlencoded")
		}
	}
	if s.Response.Status == 0 {
		s.Response.Status = 200
		if s.Response.Body == "" {
			s.Response.Body = "ok"
		}
	}
	if s.InactiveStatus == 0 {
		s.InactiveStatus = 403
	}
	if s.Alert.Kind == "" && IsAlertSourceType(s.Type) {
		s.Alert.Kind = s.Type
	}
}

// IsAlertSourceType reports whether a source type is a monitoring tool whose
// webhooks are alerts.
func IsAlertSourceType(typ string) bool {
	switch typ {
	case SourceWhaTap, SourceAlertmanager, SourcePagerDuty, SourceGrafana, SourcePanther:
		return true
	}
	return false
}

// Validate checks a source's own settings (verification schemes are checked by
// the verify package, which knows them).
func (s *Source) Validate() error {
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "name is required")
	case len(s.Name) > 200:
		return Errorf(EINVALID, "name is longer than 200 characters")
	case !validSourceType(s.Type):
		return Errorf(EINVALID, "type %q is not one of %v", s.Type, SourceTypes)
	case s.MaxBodyBytes < 0 || s.MaxBodyBytes > 64<<20:
		return Errorf(EINVALID, "max_body_bytes must be between 1 and 67108864")
	case s.Response.Status < 200 || s.Response.Status > 299:
		return Errorf(EINVALID, "response.status must be a 2xx status")
	case s.InactiveStatus < 400 || s.InactiveStatus > 599:
		return Errorf(EINVALID, "inactive_status must be a 4xx or 5xx status")
	}
	for _, m := range s.AllowedMethods {
		switch m {
		case "POST", "PUT", "PATCH", "GET", "DELETE":
		default:
			return Errorf(EINVALID, "allowed_methods: %q is not one of POST, PUT, PATCH, GET, DELETE", m)
		}
	}
	if err := checkHeaders("response.headers", s.Response.Headers); err != nil {
		return err
	}
	for what, h := range map[string]string{"verification.header": s.Verification.Header,
		"verification.timestamp_header": s.Verification.TimestampHeader, "verification.id_header": s.Verification.IDHeader,
		"event_type.header": s.EventType.Header} {
		if h != "" {
			if err := checkHeaderName(what, h); err != nil {
				return err
			}
		}
	}
	for _, v := range s.Variables {
		if v.Path == "" {
			return Errorf(EINVALID, "variables: every variable needs a path")
		}
	}
	if r := s.RateLimit; r.PerSecond < 0 || r.Burst < 0 || r.Burst > 1_000_000 || r.PerSecond > 1_000_000 ||
		r.PerSecond == 0 && r.Burst != 0 {
		return Errorf(EINVALID, "rate_limit: per_second and burst must be between 0 and 1000000, and a burst needs a per_second")
	}
	if s.Retention.MaxAgeSec < 0 || s.Retention.MaxCount < 0 {
		return Errorf(EINVALID, "retention values must not be negative")
	}
	return nil
}

func validSourceType(t string) bool {
	for _, x := range SourceTypes {
		if x == t {
			return true
		}
	}
	return false
}
