package ingest

import (
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/mediatype"
	"github.com/hookhub/hookhub/verify"
)

// DedupWindow is how long a provider delivery id is remembered: longer than
// any provider's retry horizon (Stripe retries for three days).
const DedupWindow = 7 * 24 * time.Hour

// MaxJSONDepth bounds nesting so hostile bodies cannot exhaust the parser.
const MaxJSONDepth = 64

// Request is what ingest reads of one inbound request: the parts a decision
// needs, apart from net/http, so replays and workflows can decide alike.
type Request struct {
	Method   string
	Header   http.Header
	RawQuery string
	Body     []byte
}

// Understanding is what a source makes of an accepted request.
type Understanding struct {
	Type      string         // the event type
	Variables map[string]any // the source's selected values; nil when it selects none
	DedupKey  string         // the provider's delivery id, "" when it sends none
	// Body is the request's body, decoded at most once: pass it on to the
	// decisions that follow (alerts, routing, workflows).
	Body *Body
}

// Understand checks the body's JSON and reads the event type, the source's
// variables and the provider's delivery id, applying the source type's preset
// where the source sets no rule of its own. Invalid input is an EINVALID
// error.
func Understand(src *hookhub.Source, req Request) (Understanding, error) {
	ct := req.Header.Get("Content-Type")
	if len(req.Body) > 0 && mediatype.IsJSON(ct) {
		if err := CheckJSON(req.Body, MaxJSONDepth); err != nil {
			return Understanding{}, err
		}
	} else if len(req.Body) == 0 && mediatype.IsJSON(ct) && req.Method != http.MethodGet {
		return Understanding{}, hookhub.Errorf(hookhub.EINVALID, "empty body")
	}
	preset := verify.PresetFor(src.Type)
	rule := src.EventType
	if rule == (hookhub.EventTypeRule{}) {
		rule = hookhub.EventTypeRule{Header: preset.EventHeader, JSONPath: preset.EventJSONPath, Default: preset.DefaultEvent}
	}
	// Flattening costs allocations per field, so it runs only when a rule
	// reads the body; without a selection nothing is stored, and the
	// inspector derives the variables from the raw body when asked.
	body := NewBody(req.Body, ct)
	var flat Flat
	if rule.JSONPath != "" || preset.DeliveryIDJSONPath != "" || len(src.Variables) > 0 {
		flat = body.Flat(req.Header, req.RawQuery)
	}
	u := Understanding{
		Type:     EventType(rule, req.Header, flat.Body),
		DedupKey: DeliveryID(preset, req.Header, flat.Body),
		Body:     body,
	}
	if len(src.Variables) > 0 {
		u.Variables = flat.Variables(src.Variables)
	}
	return u, nil
}

// DeliveryID returns the provider's id for this delivery, which dedupes
// retries: the first of the preset's id headers that is set, else the value
// at its JSON path in the flattened body.
func DeliveryID(p verify.Preset, h http.Header, flatBody map[string]any) string {
	for _, name := range p.DeliveryIDHeaders() {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	if p.DeliveryIDJSONPath != "" {
		if v, ok := flatBody[p.DeliveryIDJSONPath].(string); ok {
			return v
		}
	}
	return ""
}
