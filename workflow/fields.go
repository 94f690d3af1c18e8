package workflow

import (
	"regexp"
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// nodeFields names every Node field as the API spells it, with whether a
// node sets it, so that a field that does not apply to a node's type is
// refused rather than silently ignored.
var nodeFields = []struct {
	name string
	set  func(n *hookhub.Node) bool
}{
	{"next", func(n *hookhub.Node) bool { return n.Next != "" }},
	{"expression", func(n *hookhub.Node) bool { return n.Expression != "" }},
	{"then", func(n *hookhub.Node) bool { return n.Then != "" }},
	{"else", func(n *hookhub.Node) bool { return n.Else != "" }},
	{"status", func(n *hookhub.Node) bool { return n.Status != 0 }},
	{"headers", func(n *hookhub.Node) bool { return len(n.Headers) > 0 }},
	{"body", func(n *hookhub.Node) bool { return n.Body != "" }},
	{"method", func(n *hookhub.Node) bool { return n.Method != "" }},
	{"url", func(n *hookhub.Node) bool { return n.URL != "" }},
	{"timeout_seconds", func(n *hookhub.Node) bool { return n.TimeoutSec != 0 }},
	{"accept_any_status", func(n *hookhub.Node) bool { return n.AcceptAnyStatus }},
	{"destination_id", func(n *hookhub.Node) bool { return n.DestinationID != "" }},
	{"event_type", func(n *hookhub.Node) bool { return n.EventType != "" }},
	{"payload", func(n *hookhub.Node) bool { return n.Payload != "" }},
	{"action", func(n *hookhub.Node) bool { return n.Action != "" }},
	{"title", func(n *hookhub.Node) bool { return n.Title != "" }},
	{"severity", func(n *hookhub.Node) bool { return n.Severity != "" }},
	{"fingerprint", func(n *hookhub.Node) bool { return n.Fingerprint != "" }},
	{"output", func(n *hookhub.Node) bool { return n.Output != "" }},
	{"seconds", func(n *hookhub.Node) bool { return n.Seconds != 0 }},
}

// foreignField returns the first field n sets that its type does not read.
func foreignField(n *hookhub.Node, allowed []string) (string, bool) {
	for _, f := range nodeFields {
		if f.set(n) && !slices.Contains(allowed, f.name) {
			return f.name, true
		}
	}
	return "", false
}

// headerName is an HTTP field name (RFC 9110 §5.1).
var headerName = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// textTemplate compiles a text field.
func textTemplate(field, src string) (*expr.Template, error) {
	t, err := expr.ParseTemplate(env(), src)
	if err != nil {
		return nil, wrapped(field, err)
	}
	return t, nil
}

// jsonTemplate compiles a JSON template field.
func jsonTemplate(field, src string) (*expr.Template, error) {
	t, err := expr.ParseJSONTemplate(env(), src)
	if err != nil {
		return nil, wrapped(field, err)
	}
	return t, nil
}

// headerTemplates compiles header values, each a text template.
func headerTemplates(h map[string]string) (map[string]*expr.Template, error) {
	out := make(map[string]*expr.Template, len(h))
	for _, name := range sortedKeys(h) {
		if !headerName.MatchString(name) {
			return nil, bad("headers", "%q is not a valid header name", name)
		}
		t, err := textTemplate("headers."+name, h[name])
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// bodyTemplate compiles a body sent with headers: as a JSON template when
// the Content-Type is JSON, or is unset and the body starts with { or [
// (the content type is then application/json); as text otherwise (then
// text/plain when unset). It returns the content type the body goes with.
func bodyTemplate(src string, headers map[string]string) (*expr.Template, string, error) {
	ct := headerValue(headers, "Content-Type")
	switch {
	case ct != "" && isJSONType(ct):
		t, err := jsonTemplate("body", src)
		return t, ct, err
	case ct == "" && looksLikeJSON(src):
		t, err := jsonTemplate("body", src)
		return t, "application/json", err
	}
	t, err := textTemplate("body", src)
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	return t, ct, err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func looksLikeJSON(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return s != "" && (s[0] == '{' || s[0] == '[')
}
