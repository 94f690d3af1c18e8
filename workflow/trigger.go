package workflow

import (
	"net/http"
	"net/url"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/ingest"
)

// NewTrigger reads a stored event as a run's trigger: its headers, its
// query nested as qs reads it, its JSON body (null when it has none or it
// is not JSON) and the values the trigger's parse settings select. body is
// the event's body as the request decoded it; nil decodes it here, so an
// event read back from the store (a resumed run, a re-run) gives the same
// trigger as the request did.
func (c *Compiled) NewTrigger(ev *hookhub.Event, body *ingest.Body) *Trigger {
	h := http.Header(ev.Headers)
	if body == nil {
		body = ingest.NewBody(ev.Body, h.Get("Content-Type"))
	}
	q, _ := url.ParseQuery(ev.RawQuery)
	t := &Trigger{
		Headers: expr.Headers(h), Query: ingest.QueryTree(q), Vars: map[string]any{},
		EventID: ev.ID, EventType: ev.Type, raw: ev.Body, traceParent: ev.TraceParent, traceState: ev.TraceState,
	}
	if doc, err := body.JSON(); err == nil {
		t.Body = doc
	}
	if len(c.vars) > 0 {
		f := body.Flat(h, ev.RawQuery)
		t.Vars = ingest.Select(c.vars, f.Header, f.Query, f.Body)
	}
	return t
}
