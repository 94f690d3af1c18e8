package sender

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/mediatype"
)

// The names under which every broker message carries the ids and type, in
// headers, properties or fields as the broker allows. A consumer that takes
// both webhooks and bus messages finds the same values under the same names
// (header names are case-insensitive).
const (
	AttrEventID    = "hookhub-event-id"
	AttrEventType  = "hookhub-event-type"
	AttrDeliveryID = "hookhub-delivery-id"
	AttrSourceID   = "hookhub-source-id"
	AttrTimestamp  = "hookhub-timestamp"
)

// Attr is one named value a message carries.
type Attr struct{ Name, Value string }

// Attrs returns what every broker message carries besides its body: the
// event's id and type, the delivery id (the same on every attempt, so
// consumers can drop duplicates), the source id when there is one, when
// the attempt was made, and the attempt's trace context when tracing.
func (m *Message) Attrs() []Attr {
	a := []Attr{
		{AttrEventID, m.Event.ID},
		{AttrEventType, m.Event.Type},
		{AttrDeliveryID, m.Delivery.ID},
	}
	if m.Event.SourceID != "" {
		a = append(a, Attr{AttrSourceID, m.Event.SourceID})
	}
	a = append(a, Attr{AttrTimestamp, m.Now.UTC().Format(time.RFC3339)})
	return m.traceAttrs(a)
}

// The W3C Trace Context names, the same for headers and message attributes.
const (
	AttrTraceParent = "traceparent"
	AttrTraceState  = "tracestate"
)

// traceAttrs appends the attempt's trace context, when there is one, so a
// consumer can continue the trace.
func (m *Message) traceAttrs(a []Attr) []Attr {
	if m.TraceParent != "" {
		a = append(a, Attr{AttrTraceParent, m.TraceParent})
	}
	if m.TraceState != "" {
		a = append(a, Attr{AttrTraceState, m.TraceState})
	}
	return a
}

// Recorded returns attrs as the attempt log shows them, with the content
// type, under canonical header names as webhook attempts show theirs.
func Recorded(attrs []Attr, contentType string) map[string][]string {
	out := make(map[string][]string, len(attrs)+1)
	for _, a := range attrs {
		out[http.CanonicalHeaderKey(a.Name)] = []string{a.Value}
	}
	if contentType != "" {
		out["Content-Type"] = []string{contentType}
	}
	return out
}

// ContentType is application/json for published events and JSON bodies, and the
// original Content-Type for forwarded bodies that are something else (a Slack
// form post stays a form post).
func ContentType(ev *hookhub.Event) string {
	const jsonType = "application/json"
	orig := firstHeader(ev.Headers, "Content-Type")
	if ev.SourceID == "" || orig == "" {
		return jsonType
	}
	if mediatype.IsJSON(orig) {
		return jsonType
	}
	if _, _, err := mime.ParseMediaType(orig); err != nil && json.Valid(ev.Body) {
		return jsonType
	}
	return orig
}

// firstHeader reads a header from a stored map whose keys may not be canonical.
func firstHeader(h map[string][]string, name string) string {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}
