package server

import (
	"time"

	"github.com/hookhub/hookhub"
)

// sourceJSON is a source as the API shows it: secrets never leave the server,
// only whether they are set.
type sourceJSON struct {
	ID             string           `json:"id"`
	Key            string           `json:"key"`
	URL            string           `json:"url"`
	Name           string           `json:"name"`
	Type           string           `json:"type"`
	Active         bool             `json:"active"`
	Verification   verificationJSON `json:"verification"`
	DestinationIDs []string         `json:"destination_ids"`
	ForwardHeaders []string         `json:"forward_headers"`
	AllowedMethods []string         `json:"allowed_methods"`
	MaxBodyBytes   int64            `json:"max_body_bytes"`
	ContentTypes   []string         `json:"content_types"`
	Response       responseJSON     `json:"response"`
	InactiveStatus int              `json:"inactive_status"`
	EventType      eventTypeJSON    `json:"event_type"`
	Variables      []variableJSON   `json:"variables"`
	Retention      retentionJSON    `json:"retention"`
	Alert          *alertJSON       `json:"alert"`
	RateLimit      *rateLimitJSON   `json:"rate_limit"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

// verificationJSON carries secrets in (write-only) and flags out.
type verificationJSON struct {
	Scheme            string  `json:"scheme"`
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
	SecretSet         bool    `json:"secret_set"`
	PreviousSecretSet bool    `json:"previous_secret_set"`
}

type responseJSON struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body"`
}

type eventTypeJSON struct {
	Header   string `json:"header,omitempty"`
	JSONPath string `json:"json_path,omitempty"`
	Default  string `json:"default,omitempty"`
}

type variableJSON struct {
	Path  string `json:"path"`
	Alias string `json:"alias,omitempty"`
}

// alertJSON says how an alert source reads alerts; null for other sources.
type alertJSON struct {
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

// rateLimitJSON is a source's token bucket; null means unlimited.
type rateLimitJSON struct {
	PerSecond float64 `json:"per_second"`
	Burst     int     `json:"burst,omitempty"`
}

func rateLimitOut(r hookhub.RateLimit) *rateLimitJSON {
	if r.PerSecond == 0 {
		return nil
	}
	out := rateLimitJSON(r)
	return &out
}

type retentionJSON struct {
	MaxAgeSeconds int64 `json:"max_age_seconds"`
	MaxCount      int   `json:"max_count"`
}

func (s *Server) sourceOut(src *hookhub.Source) sourceJSON {
	v := src.Verification
	vars := make([]variableJSON, len(src.Variables))
	for i, x := range src.Variables {
		vars[i] = variableJSON{Path: x.Path, Alias: x.Alias}
	}
	return sourceJSON{
		ID: src.ID, Key: src.Key, URL: s.baseURL + "/hooks/" + src.Key, Name: src.Name, Type: src.Type, Active: src.Active,
		Verification: verificationJSON{
			Scheme: v.Scheme, Username: v.Username, Header: v.Header, Prefix: v.Prefix, Algorithm: v.Algorithm,
			Encoding: v.Encoding, Signed: v.Signed, TimestampHeader: v.TimestampHeader, IDHeader: v.IDHeader,
			ToleranceSeconds: v.ToleranceSec, SecretSet: v.Secret != "" || v.Password != "", PreviousSecretSet: v.PreviousSecret != "",
		},
		DestinationIDs: nonNil(src.DestinationIDs), ForwardHeaders: nonNil(src.ForwardHeaders),
		AllowedMethods: src.AllowedMethods, MaxBodyBytes: src.MaxBodyBytes, ContentTypes: src.ContentTypes,
		Response:       responseJSON{Status: src.Response.Status, Headers: src.Response.Headers, Body: src.Response.Body},
		InactiveStatus: src.InactiveStatus,
		EventType:      eventTypeJSON{Header: src.EventType.Header, JSONPath: src.EventType.JSONPath, Default: src.EventType.Default},
		Variables:      vars,
		Retention:      retentionJSON{MaxAgeSeconds: src.Retention.MaxAgeSec, MaxCount: src.Retention.MaxCount},
		Alert:          alertOut(src.Alert),
		RateLimit:      rateLimitOut(src.RateLimit),
		CreatedAt:      src.CreatedAt.UTC(), UpdatedAt: src.UpdatedAt.UTC(),
	}
}

func alertOut(a hookhub.AlertConfig) *alertJSON {
	if a.Kind == "" {
		return nil
	}
	out := alertJSON(a)
	return &out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// sourceInput is the body of create and update; nil fields are left as they are.
type sourceInput struct {
	Name           *string           `json:"name"`
	Type           *string           `json:"type"`
	Active         *bool             `json:"active"`
	Verification   *verificationJSON `json:"verification"`
	DestinationIDs *[]string         `json:"destination_ids"`
	ForwardHeaders *[]string         `json:"forward_headers"`
	AllowedMethods *[]string         `json:"allowed_methods"`
	MaxBodyBytes   *int64            `json:"max_body_bytes"`
	ContentTypes   *[]string         `json:"content_types"`
	Response       *responseJSON     `json:"response"`
	InactiveStatus *int              `json:"inactive_status"`
	EventType      *eventTypeJSON    `json:"event_type"`
	Variables      *[]variableJSON   `json:"variables"`
	Retention      *retentionJSON    `json:"retention"`
	Alert          *alertJSON        `json:"alert"`
	// RateLimit replaces the limit; {"per_second": 0} removes it.
	RateLimit *rateLimitJSON `json:"rate_limit"`
}

// apply copies the given fields onto src. A verification block replaces the
// settings, but secrets it leaves out keep their values, so a user can change a
// header name without sending the secret again.
func (in *sourceInput) apply(src *hookhub.Source) {
	setIf(&src.Name, in.Name)
	setIf(&src.Type, in.Type)
	setIf(&src.Active, in.Active)
	setIf(&src.DestinationIDs, in.DestinationIDs)
	setIf(&src.ForwardHeaders, in.ForwardHeaders)
	setIf(&src.AllowedMethods, in.AllowedMethods)
	setIf(&src.MaxBodyBytes, in.MaxBodyBytes)
	setIf(&src.ContentTypes, in.ContentTypes)
	setIf(&src.InactiveStatus, in.InactiveStatus)
	if v := in.Verification; v != nil {
		old := src.Verification
		src.Verification = hookhub.Verification{
			Scheme: v.Scheme, Username: v.Username, Header: v.Header, Prefix: v.Prefix, Algorithm: v.Algorithm,
			Encoding: v.Encoding, Signed: v.Signed, TimestampHeader: v.TimestampHeader, IDHeader: v.IDHeader,
			ToleranceSec: v.ToleranceSeconds, Secret: old.Secret, PreviousSecret: old.PreviousSecret, Password: old.Password,
		}
		setIf(&src.Verification.Secret, v.Secret)
		setIf(&src.Verification.PreviousSecret, v.PreviousSecret)
		setIf(&src.Verification.Password, v.Password)
	}
	if r := in.Response; r != nil {
		src.Response = hookhub.Response{Status: r.Status, Headers: r.Headers, Body: r.Body}
	}
	if e := in.EventType; e != nil {
		src.EventType = hookhub.EventTypeRule{Header: e.Header, JSONPath: e.JSONPath, Default: e.Default}
	}
	if in.Variables != nil {
		src.Variables = make([]hookhub.Variable, len(*in.Variables))
		for i, x := range *in.Variables {
			src.Variables[i] = hookhub.Variable{Path: x.Path, Alias: x.Alias}
		}
	}
	if r := in.Retention; r != nil {
		src.Retention = hookhub.Retention{MaxAgeSec: r.MaxAgeSeconds, MaxCount: r.MaxCount}
	}
	if a := in.Alert; a != nil {
		src.Alert = hookhub.AlertConfig(*a)
	}
	if rl := in.RateLimit; rl != nil {
		src.RateLimit = hookhub.RateLimit(*rl)
	}
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
