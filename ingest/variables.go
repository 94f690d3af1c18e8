package ingest

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// Flat is one request's variable sources: its headers, and its query and
// body flattened to paths.
type Flat struct {
	Header http.Header
	Query  map[string]any
	Body   map[string]any
}

// FlattenRequest flattens a request's query string and body. JSON media
// types are read with Flatten, forms with FlattenForm; any other body that
// is a JSON object or array is read as JSON too, because some senders (AWS
// SNS) post JSON as text/plain. A body that cannot be read gives no body
// paths: whether it was acceptable is CheckJSON's question, not this one's.
func FlattenRequest(h http.Header, rawQuery, contentType string, body []byte) Flat {
	return NewBody(body, contentType).Flat(h, rawQuery)
}

func looksLikeJSON(body []byte) bool {
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// Variables returns the variables an event keeps: those the source selected
// (see Select) or, when it selected none, the whole flattened body keyed as
// selections would be ("body.b.c"), so references keep working once a
// source starts selecting.
func Variables(src *hookhub.Source, h http.Header, rawQuery string, contentType string, body []byte) map[string]any {
	return FlattenRequest(h, rawQuery, contentType, body).Variables(src.Variables)
}

// Variables returns the selected variables, or with no selection the
// flattened body's leaves. Leaves only, because every container repeats all
// values below it: a body 64 levels deep would otherwise be stored about 64
// times over. Each container remains selectable by path.
func (f Flat) Variables(vars []hookhub.Variable) map[string]any {
	if len(vars) > 0 {
		return Select(vars, f.Header, f.Query, f.Body)
	}
	out := make(map[string]any, len(f.Body))
	for p, v := range f.Body {
		if !isNonEmptyContainer(v) {
			out["body."+p] = v
		}
	}
	return out
}

func isNonEmptyContainer(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return false
}

// Select returns the values the variables pick, keyed by Alias when set and
// by Path otherwise. Path is "header.<Name>" (any case; repeated fields are
// joined with ", " as HTTP allows), "query.<path>" or "body.<path>", with
// paths as FlattenQuery and Flatten spell them. Values that are absent are
// left out rather than set to nil, so absent and JSON null differ.
func Select(vars []hookhub.Variable, headers http.Header, query map[string]any, body map[string]any) map[string]any {
	out := make(map[string]any, len(vars))
	for _, v := range vars {
		val, ok := lookup(v.Path, headers, query, body)
		if !ok {
			continue
		}
		key := v.Alias
		if key == "" {
			key = v.Path
		}
		out[key] = val
	}
	return out
}

// lookup resolves one variable path; the source prefix is matched in any case.
func lookup(path string, headers http.Header, query, body map[string]any) (any, bool) {
	src, rest, _ := strings.Cut(path, ".")
	switch {
	case rest == "":
		return nil, false
	case strings.EqualFold(src, "header"):
		return header(headers, rest)
	case strings.EqualFold(src, "query"):
		val, ok := query[rest]
		return val, ok
	case strings.EqualFold(src, "body"):
		val, ok := body[rest]
		return val, ok
	}
	return nil, false
}

// header reads a header in any case, even from a map whose keys were not
// canonicalised (a stored event's headers, say).
func header(h http.Header, name string) (any, bool) {
	vals := h.Values(name)
	if len(vals) == 0 {
		for k, vs := range h {
			if strings.EqualFold(k, name) {
				vals = vs
				break
			}
		}
	}
	if len(vals) == 0 {
		return nil, false
	}
	return strings.Join(vals, ", "), true
}
