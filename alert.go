package hookhub

import "time"

// Alert statuses, as a sending system reports them.
const (
	AlertFiring       = "firing"
	AlertAcknowledged = "acknowledged" // PagerDuty's acknowledge action
	AlertResolved     = "resolved"
)

// Alert is one normalized alert read from an alert source's webhook. Parsers
// in the alert package build it from each sender's format.
type Alert struct {
	Title       string
	Severity    string // one of the Severity* constants
	Status      string // one of the Alert* statuses
	Fingerprint string // alerts with equal fingerprints belong to one incident
	Labels      map[string]string
	Link        string
	Description string
	Runbook     string
	StartsAt    time.Time // when the sender says it began; zero when unknown
}

// AlertConfig says how a source reads alerts. Kind names a parser (whatap,
// alertmanager, pagerduty, grafana, panther, generic); empty means the
// source's events are not alerts.
type AlertConfig struct {
	Kind string

	// GroupBy "group_key" makes one incident per Alertmanager group instead
	// of one per alert.
	GroupBy string

	// Generic mapping: dotted JSON paths into the body (a.b.c, arrays by
	// index: a.0.b). FingerprintPaths are joined; empty means the title.
	TitlePath        string
	SeverityPath     string
	StatusPath       string
	FingerprintPaths []string
	LinkPath         string
	DescriptionPath  string
	// ResolvedValues are the status values that mean resolved (compared
	// case-insensitively); default resolved, ok.
	ResolvedValues []string
	// ResolveExpression, when set, is a CEL expression over `body` (the
	// parsed JSON) and `headers` that is true when the alert is resolved.
	ResolveExpression string
}
