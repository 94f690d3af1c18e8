// Package filter decides which events a destination receives.
//
// A filter has four parts, all of which must match; an empty part matches
// every event:
//
//   - EventTypes: globs over dot-separated event types (see matchGlob).
//   - Severities: exact severities, compared case-insensitively.
//   - SourceIDs: exact source IDs.
//   - AlertTypes and LogTypes: an alert's type and log types as Panther's
//     alert schema carries them (see alertTypes), case-insensitively.
//   - Expression: a CEL expression over the variable event (expr.Event),
//     with fields id, type, severity, source_id (strings), payload (the
//     decoded JSON body) and headers (a map from lower-case header name to
//     its values joined by ", "), compiled in the environment and limits
//     every Hookhub expression shares (package expr). Example:
//     event.type == "push" && event.payload.ref == "refs/heads/main".
//
// Filters are compiled once, when a destination is saved, so mistakes are
// reported then with a message that names them.
package filter

import (
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
)

// Input is what a filter looks at for one event.
type Input struct {
	ID       string
	Type     string
	Severity string
	SourceID string
	Payload  any                 // decoded JSON body; nil when not JSON or not decoded
	Headers  map[string][]string // request headers as received
}

// Matcher is a compiled filter. It is safe for concurrent use.
type Matcher struct {
	types      [][]string // glob segments
	severities []string
	sourceIDs  []string
	alertTypes []string
	logTypes   []string
	expr       *expression // nil when there is no expression
}

// Compile checks f and compiles it. A bad glob, an empty list entry, a CEL
// expression that does not compile or does not return a bool is an EINVALID
// error whose message names the problem.
func Compile(f hookhub.Filter) (*Matcher, error) {
	m := &Matcher{}
	for i, p := range f.EventTypes {
		segs, err := compileGlob(p)
		if err != nil {
			return nil, hookhub.Errorf(hookhub.EINVALID, "event_types entry %d %q %s", i+1, p, err)
		}
		m.types = append(m.types, segs)
	}
	var err error
	if m.severities, err = exactList("severities", f.Severities); err != nil {
		return nil, err
	}
	if m.sourceIDs, err = exactList("source_ids", f.SourceIDs); err != nil {
		return nil, err
	}
	if m.alertTypes, err = exactList("alert_types", f.AlertTypes); err != nil {
		return nil, err
	}
	if m.logTypes, err = exactList("log_types", f.LogTypes); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.Expression) != "" {
		if m.expr, err = compileExpression(f.Expression); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// exactList trims entries and refuses empty ones, which would otherwise
// silently match events without that attribute.
func exactList(field string, in []string) ([]string, error) {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.TrimSpace(s)
		if out[i] == "" {
			return nil, hookhub.Errorf(hookhub.EINVALID, "%s entry %d is empty", field, i+1)
		}
	}
	return out, nil
}

// Match reports whether the event described by in passes the filter. An
// expression that fails at evaluation (a missing payload field, a type
// mismatch, too costly) does not match: a destination with a filter should
// receive only what the filter clearly selects.
func (m *Matcher) Match(in Input) bool {
	return m.matchType(in.Type) &&
		m.matchSeverity(in.Severity) &&
		(len(m.sourceIDs) == 0 || slices.Contains(m.sourceIDs, in.SourceID)) &&
		m.matchAlert(asObject(in.Payload)) &&
		(m.expr == nil || m.expr.eval(in))
}

func (m *Matcher) matchSeverity(sev string) bool {
	return len(m.severities) == 0 ||
		slices.ContainsFunc(m.severities, func(s string) bool { return strings.EqualFold(s, sev) })
}

func (m *Matcher) matchType(t string) bool {
	if len(m.types) == 0 {
		return true
	}
	return slices.ContainsFunc(m.types, func(segs []string) bool { return matchGlob(segs, t) })
}

// NeedsPayload reports whether Match reads Input.Payload, so callers can skip
// decoding the body when no filter looks at it.
func (m *Matcher) NeedsPayload() bool {
	return m.expr != nil && m.expr.usesPayload || len(m.alertTypes) > 0 || len(m.logTypes) > 0
}
