package ingest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/mediatype"
)

// Body is a request body whose JSON is decoded at most once, however many
// decisions read it: the source's variables and event type, the alert
// parsers, the destination filters and a workflow's trigger all take the
// value from here. It is not safe for concurrent use; hand the decoded value
// on rather than the Body.
type Body struct {
	raw         []byte
	contentType string
	decoded     bool
	doc         any
	err         error
}

// NewBody returns the body of a request with the given Content-Type.
func NewBody(raw []byte, contentType string) *Body {
	return &Body{raw: raw, contentType: contentType}
}

// Raw returns the bytes as received.
func (b *Body) Raw() []byte { return b.raw }

// IsJSON reports whether the body is read as JSON: its media type is JSON,
// or it is not a form and looks like a JSON object or array (AWS SNS posts
// JSON as text/plain).
func (b *Body) IsJSON() bool {
	return mediatype.IsJSON(b.contentType) || (!mediatype.IsForm(b.contentType) && looksLikeJSON(b.raw))
}

// JSON returns the body's JSON value, decoded on first use with numbers as
// DecodeJSON keeps them. A body that is not read as JSON, or does not parse,
// is an EINVALID error. The value is shared: treat it as read-only.
func (b *Body) JSON() (any, error) {
	if !b.decoded {
		b.decoded = true
		if !b.IsJSON() {
			b.err = hookhub.Errorf(hookhub.EINVALID, "body is not JSON")
		} else {
			b.doc, b.err = DecodeJSON(b.raw)
		}
	}
	return b.doc, b.err
}

// Flat flattens the request's query string and this body into paths, as
// FlattenRequest does, decoding the body only once.
func (b *Body) Flat(h http.Header, rawQuery string) Flat {
	q, _ := url.ParseQuery(rawQuery) // keep the pairs that parse
	f := Flat{Header: h, Query: FlattenQuery(q), Body: map[string]any{}}
	switch {
	case mediatype.IsForm(b.contentType):
		form, _ := url.ParseQuery(string(b.raw))
		f.Body = FlattenForm(form)
	case b.IsJSON():
		if doc, err := b.JSON(); err == nil {
			f.Body = FlattenValue(doc, DefaultLimit)
		}
	}
	return f
}

// DecodeJSON decodes one JSON value as every Hookhub decision reads it:
// numbers are float64, except integers beyond ±2^53 and values beyond
// float64's range, which stay json.Number so they are not silently changed.
// Anything but exactly one JSON value is an EINVALID error.
func DecodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "invalid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, hookhub.Errorf(hookhub.EINVALID, "invalid JSON: data after the value")
	}
	return normalize(root), nil
}

// normalize converts the json.Number values of a decoded tree in place,
// with an explicit stack (no recursion, so depth costs no Go stack).
func normalize(root any) any {
	root = number(root)
	stack := []any{root}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if n, ok := x.(json.Number); ok {
					v[k] = number(n)
				} else if isContainer(x) {
					stack = append(stack, x)
				}
			}
		case []any:
			for i, x := range v {
				if n, ok := x.(json.Number); ok {
					v[i] = number(n)
				} else if isContainer(x) {
					stack = append(stack, x)
				}
			}
		}
	}
	return root
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}
