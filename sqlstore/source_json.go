package sqlstore

import "github.com/hookhub/hookhub"

// The stored JSON of a source has its own types with explicit names, so that
// renaming a Go field never silently drops a stored setting. Secret fields are
// absent here: they go to sourceSecrets, which is sealed.

type sourceConfig struct {
	Verification   verificationConfig `json:"verification"`
	AllowedMethods []string           `json:"allowed_methods,omitempty"`
	MaxBodyBytes   int64              `json:"max_body_bytes"`
	ContentTypes   []string           `json:"content_types,omitempty"`
	Response       responseConfig     `json:"response"`
	InactiveStatus int                `json:"inactive_status"`
	EventType      eventTypeConfig    `json:"event_type"`
	Variables      []variableConfig   `json:"variables,omitempty"`
	DestinationIDs []string           `json:"destination_ids,omitempty"`
	ForwardHeaders []string           `json:"forward_headers,omitempty"`
	Retention      retentionConfig    `json:"retention"`
	Alert          *alertConfig       `json:"alert,omitempty"`
	RateLimit      *rateLimitConfig   `json:"rate_limit,omitempty"`
}

type rateLimitConfig struct {
	PerSecond float64 `json:"per_second"`
	Burst     int     `json:"burst,omitempty"`
}

type alertConfig struct {
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

type verificationConfig struct {
	Scheme          string `json:"scheme,omitempty"`
	Username        string `json:"username,omitempty"`
	Header          string `json:"header,omitempty"`
	Prefix          string `json:"prefix,omitempty"`
	Algorithm       string `json:"algorithm,omitempty"`
	Encoding        string `json:"encoding,omitempty"`
	Signed          string `json:"signed,omitempty"`
	TimestampHeader string `json:"timestamp_header,omitempty"`
	IDHeader        string `json:"id_header,omitempty"`
	ToleranceSec    int    `json:"tolerance_sec,omitempty"`
}

type responseConfig struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body"`
}

type eventTypeConfig struct {
	Header   string `json:"header,omitempty"`
	JSONPath string `json:"json_path,omitempty"`
	Default  string `json:"default,omitempty"`
}

type variableConfig struct {
	Path  string `json:"path"`
	Alias string `json:"alias,omitempty"`
}

type retentionConfig struct {
	MaxAgeSec int64 `json:"max_age_sec,omitempty"`
	MaxCount  int   `json:"max_count,omitempty"`
}

type sourceSecrets struct {
	Secret         string `json:"secret,omitempty"`
	PreviousSecret string `json:"previous_secret,omitempty"`
	Password       string `json:"password,omitempty"`
}

func sourceConfigOf(s *hookhub.Source) (sourceConfig, sourceSecrets) {
	v := s.Verification
	c := sourceConfig{
		Verification: verificationConfig{
			Scheme: v.Scheme, Username: v.Username, Header: v.Header, Prefix: v.Prefix,
			Algorithm: v.Algorithm, Encoding: v.Encoding, Signed: v.Signed,
			TimestampHeader: v.TimestampHeader, IDHeader: v.IDHeader, ToleranceSec: v.ToleranceSec,
		},
		AllowedMethods: s.AllowedMethods,
		MaxBodyBytes:   s.MaxBodyBytes,
		ContentTypes:   s.ContentTypes,
		Response:       responseConfig(s.Response),
		InactiveStatus: s.InactiveStatus,
		EventType:      eventTypeConfig(s.EventType),
		DestinationIDs: s.DestinationIDs,
		ForwardHeaders: s.ForwardHeaders,
		Retention:      retentionConfig(s.Retention),
	}
	for _, x := range s.Variables {
		c.Variables = append(c.Variables, variableConfig(x))
	}
	if s.Alert.Kind != "" {
		a := alertConfig(s.Alert)
		c.Alert = &a
	}
	if s.RateLimit != (hookhub.RateLimit{}) {
		r := rateLimitConfig(s.RateLimit)
		c.RateLimit = &r
	}
	return c, sourceSecrets{Secret: v.Secret, PreviousSecret: v.PreviousSecret, Password: v.Password}
}

func (c sourceConfig) applyTo(s *hookhub.Source, sec sourceSecrets) {
	if c.Alert != nil {
		s.Alert = hookhub.AlertConfig(*c.Alert)
	}
	if c.RateLimit != nil {
		s.RateLimit = hookhub.RateLimit(*c.RateLimit)
	}
	v := c.Verification
	s.Verification = hookhub.Verification{
		Scheme: v.Scheme, Secret: sec.Secret, PreviousSecret: sec.PreviousSecret,
		Username: v.Username, Password: sec.Password, Header: v.Header, Prefix: v.Prefix,
		Algorithm: v.Algorithm, Encoding: v.Encoding, Signed: v.Signed,
		TimestampHeader: v.TimestampHeader, IDHeader: v.IDHeader, ToleranceSec: v.ToleranceSec,
	}
	s.AllowedMethods = c.AllowedMethods
	s.MaxBodyBytes = c.MaxBodyBytes
	s.ContentTypes = c.ContentTypes
	s.Response = hookhub.Response(c.Response)
	s.InactiveStatus = c.InactiveStatus
	s.EventType = hookhub.EventTypeRule(c.EventType)
	s.Variables = nil
	for _, x := range c.Variables {
		s.Variables = append(s.Variables, hookhub.Variable(x))
	}
	s.DestinationIDs = c.DestinationIDs
	s.ForwardHeaders = c.ForwardHeaders
	s.Retention = hookhub.Retention(c.Retention)
}
