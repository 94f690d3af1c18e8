package ingest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
)

// maxEventTypeLen bounds an event type: it is a label, and a sender must not
// be able to put a megabyte into every event's type.
const maxEventTypeLen = 256

// EventType reads an event's type: the rule's header if present and
// non-empty, else the value at its JSONPath in the flattened body (a string,
// number or boolean; "$." and "body." prefixes are allowed), else Default.
// Types longer than 256 bytes are cut on a character boundary.
func EventType(rule hookhub.EventTypeRule, h http.Header, flat map[string]any) string {
	if rule.Header != "" {
		if v := strings.TrimSpace(h.Get(rule.Header)); v != "" {
			return truncate(v)
		}
	}
	if rule.JSONPath != "" {
		if v := scalarString(flat[jsonPath(rule.JSONPath)]); v != "" {
			return truncate(v)
		}
	}
	return rule.Default
}

func jsonPath(p string) string {
	p = strings.TrimPrefix(p, "$.")
	return strings.TrimPrefix(p, "body.")
}

// scalarString formats a leaf value; containers and null have no type.
func scalarString(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func truncate(s string) string {
	if len(s) <= maxEventTypeLen {
		return s
	}
	i := maxEventTypeLen
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
