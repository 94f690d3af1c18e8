package filter

import (
	"slices"
	"strings"
)

// matchAlert checks the alert types and log types: each list, when set,
// must share a value with the event's (an event without one does not match).
func (m *Matcher) matchAlert(payload map[string]any) bool {
	if len(m.alertTypes) == 0 && len(m.logTypes) == 0 {
		return true
	}
	return anyEqualFold(m.alertTypes, alertTypes(payload)) && anyEqualFold(m.logTypes, logTypes(payload))
}

// anyEqualFold reports whether want is empty or shares a value with have.
func anyEqualFold(want, have []string) bool {
	if len(want) == 0 {
		return true
	}
	return slices.ContainsFunc(have, func(h string) bool {
		return slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(w, h) })
	})
}

// alertTypes reads an alert's type: the payload's "type" string, as
// Panther's alert schema (and Hookhub's own incident notifications) carry it.
func alertTypes(payload map[string]any) []string {
	if t, ok := payload["type"].(string); ok && t != "" {
		return []string{t}
	}
	return nil
}

// logTypes reads an alert's log types: "logTypes" (a list) or "logType" (a
// string), at the top of the payload or in its "alertContext".
func logTypes(payload map[string]any) []string {
	var out []string
	for _, obj := range []map[string]any{payload, asObject(payload["alertContext"])} {
		if obj == nil {
			continue
		}
		if list, ok := obj["logTypes"].([]any); ok {
			for _, v := range list {
				if s, ok := v.(string); ok && s != "" {
					out = append(out, s)
				}
			}
		}
		if s, ok := obj["logType"].(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
