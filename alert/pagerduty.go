package alert

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// PagerDutyEnqueuePath is where PagerDuty's Events API v2 takes events, below
// its base URL. Its clients append it to the endpoint they are given
// (go-pagerduty's WithV2EventsAPIEndpoint, pdpyras's events URL), so a
// pagerduty source takes events at its own URL followed by this path too.
const PagerDutyEnqueuePath = "/v2/enqueue"

// IntakePaths are the paths below a source's URL where some alert source
// kind takes webhooks, as its sender's own API does.
var IntakePaths = []string{PagerDutyEnqueuePath}

// IntakePath reports whether an alert source of kind (any source, when kind
// is "") takes webhooks at sub, a path below its URL; "" is the URL itself.
func IntakePath(kind, sub string) bool {
	return sub == "" || (kind == hookhub.SourcePagerDuty && sub == PagerDutyEnqueuePath)
}

// pdEvent is a PagerDuty Events API v2 event.
type pdEvent struct {
	RoutingKey  string     `json:"routing_key"`
	EventAction string     `json:"event_action"`
	DedupKey    string     `json:"dedup_key"`
	Payload     *pdPayload `json:"payload"`
	Client      string     `json:"client"`
	ClientURL   string     `json:"client_url"`
	Links       []struct {
		Href string `json:"href"`
	} `json:"links"`
}

type pdPayload struct {
	Summary       string          `json:"summary"`
	Source        string          `json:"source"`
	Severity      string          `json:"severity"`
	Timestamp     string          `json:"timestamp"`
	Component     string          `json:"component"`
	Group         string          `json:"group"`
	Class         string          `json:"class"`
	CustomDetails json.RawMessage `json:"custom_details"`
}

// parsePagerDuty reads a PagerDuty Events API v2 event and checks it as
// PagerDuty does. Every problem is EINVALID, which the HTTP layer answers in
// PagerDuty's own error shape. A trigger without a dedup_key gets a random
// one, returned as the alert's fingerprint for the caller to send back.
func parsePagerDuty(_ hookhub.AlertConfig, _ http.Header, in input) ([]hookhub.Alert, error) {
	var ev pdEvent
	if err := decodeObject(hookhub.SourcePagerDuty, in.raw, &ev); err != nil {
		return nil, err
	}
	if err := ev.check(); err != nil {
		return nil, err
	}
	p := ev.Payload
	if p == nil {
		p = &pdPayload{}
	}
	a := hookhub.Alert{
		Title:       p.Summary,
		Severity:    NormalizeSeverity(p.Severity),
		Fingerprint: ev.DedupKey,
		Labels:      map[string]string{},
		Link:        ev.ClientURL,
		Description: details(p.CustomDetails),
		StartsAt:    parseTime(p.Timestamp),
	}
	switch ev.EventAction {
	case "trigger":
		a.Status = hookhub.AlertFiring
	case "acknowledge":
		a.Status = hookhub.AlertAcknowledged
	default:
		a.Status = hookhub.AlertResolved
	}
	if a.Fingerprint == "" {
		a.Fingerprint = newDedupKey()
	}
	if blank(a.Title) {
		// An acknowledge or resolve need not carry a payload.
		a.Title = a.Fingerprint
	}
	if a.Link == "" && len(ev.Links) > 0 {
		a.Link = ev.Links[0].Href
	}
	for k, v := range map[string]string{"source": p.Source, "component": p.Component,
		"group": p.Group, "class": p.Class, "client": ev.Client} {
		if v != "" {
			a.Labels[k] = v
		}
	}
	return []hookhub.Alert{a}, nil
}

// check applies PagerDuty's rules: routing_key and a known event_action
// always; dedup_key to acknowledge or resolve; summary, source and a known
// severity to trigger.
func (ev *pdEvent) check() error {
	var m missing
	m.need(ev.RoutingKey, "routing_key")
	m.need(ev.EventAction, "event_action")
	p := ev.Payload
	if p == nil {
		p = &pdPayload{}
	}
	switch ev.EventAction {
	case "trigger":
		m.need(p.Summary, "payload.summary")
		m.need(p.Source, "payload.source")
		m.need(p.Severity, "payload.severity")
	case "acknowledge", "resolve":
		m.need(ev.DedupKey, "dedup_key")
	case "":
	default:
		return invalid("event_action must be trigger, acknowledge or resolve, not %q", ev.EventAction)
	}
	if err := m.err(hookhub.EINVALID); err != nil {
		return err
	}
	switch p.Severity {
	case "critical", "error", "warning", "info":
	default:
		if ev.EventAction == "trigger" {
			return invalid("payload.severity must be critical, error, warning or info, not %q", p.Severity)
		}
	}
	return nil
}

// details renders custom_details for people: an object as compact JSON, a
// string as itself.
func details(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if len(raw) == 0 || string(raw) == "null" || json.Compact(&buf, raw) != nil {
		return ""
	}
	return buf.String()
}

// newDedupKey returns 32 random hex characters, the form PagerDuty itself
// generates.
func newDedupKey() string {
	var b [16]byte
	rand.Read(b[:]) // never fails; it aborts the program instead
	return hex.EncodeToString(b[:])
}

// PagerDutyAccepted is PagerDuty's answer to an accepted event, so a client
// of the Events API can read the dedup key it should send next.
func PagerDutyAccepted(dedupKey string) []byte {
	b, _ := json.Marshal(struct {
		Status   string `json:"status"`
		Message  string `json:"message"`
		DedupKey string `json:"dedup_key"`
	}{"success", "Event processed", dedupKey})
	return b
}

// PagerDutyInvalid is PagerDuty's answer to an invalid event, carrying err's
// user-facing message.
func PagerDutyInvalid(err error) []byte {
	b, _ := json.Marshal(struct {
		Status  string   `json:"status"`
		Message string   `json:"message"`
		Errors  []string `json:"errors"`
	}{"invalid event", "Event object is invalid", []string{strings.TrimSpace(hookhub.ErrorMessage(err))}})
	return b
}
