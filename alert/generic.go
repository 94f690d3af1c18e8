package alert

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hookhub/hookhub"
)

// parseGeneric reads one alert from any JSON body through the dotted paths
// cfg names.
func parseGeneric(cfg hookhub.AlertConfig, header http.Header, in input) ([]hookhub.Alert, error) {
	doc, err := decodeValue(hookhub.SourceGeneric, in)
	if err != nil {
		return nil, err
	}
	a := hookhub.Alert{
		Title:       text(doc, cfg.TitlePath),
		Severity:    NormalizeSeverity(text(doc, cfg.SeverityPath)),
		Status:      hookhub.AlertFiring,
		Labels:      map[string]string{},
		Link:        text(doc, cfg.LinkPath),
		Description: text(doc, cfg.DescriptionPath),
	}
	var m missing
	m.need(a.Title, cfg.TitlePath)
	parts := make([]string, len(cfg.FingerprintPaths))
	for i, p := range cfg.FingerprintPaths {
		parts[i] = text(doc, p)
		m.need(parts[i], p)
	}
	if err := m.err(hookhub.EUNPROCESSABLE); err != nil {
		return nil, err
	}
	a.Fingerprint = joinParts(parts)
	if len(parts) == 0 {
		a.Fingerprint = a.Title
	}
	resolved, err := genericResolved(cfg, doc, header)
	if err != nil {
		return nil, err
	}
	if resolved {
		a.Status = hookhub.AlertResolved
	}
	return []hookhub.Alert{a}, nil
}

// genericResolved reports whether the status value is one of the resolved
// values, or else the resolve expression is true.
func genericResolved(cfg hookhub.AlertConfig, doc any, header http.Header) (bool, error) {
	values := cfg.ResolvedValues
	if len(values) == 0 {
		values = []string{"resolved", "ok"}
	}
	if status := strings.TrimSpace(text(doc, cfg.StatusPath)); status != "" {
		if slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), status) }) {
			return true, nil
		}
	}
	if cfg.ResolveExpression == "" {
		return false, nil
	}
	x, err := compileResolve(cfg.ResolveExpression)
	if err != nil {
		return false, err
	}
	return x.eval(doc, header), nil
}

// validPath reports whether path is dotted segments, none empty.
func validPath(path string) bool {
	return !slices.Contains(strings.Split(path, "."), "")
}

// lookup follows a dotted path: a segment names an object's key, or indexes
// an array when it is a number.
func lookup(doc any, path string) (any, bool) {
	if path == "" {
		return nil, false
	}
	v := doc
	for seg := range strings.SplitSeq(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, v != nil
}

// text is the value at path as text: a scalar as written, an object or
// array as compact JSON, and "" when the path leads nowhere.
func text(doc any, path string) string {
	v, ok := lookup(doc, path)
	if !ok {
		return ""
	}
	if s, ok := scalar(v); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// joinParts joins fingerprint values with "|", escaping "|" and "\" in each
// so that ("a|b", "c") and ("a", "b|c") stay apart.
func joinParts(parts []string) string {
	esc := strings.NewReplacer(`\`, `\\`, `|`, `\|`)
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = esc.Replace(p)
	}
	return strings.Join(out, "|")
}
