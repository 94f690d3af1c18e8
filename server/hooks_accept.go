package server

import (
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/mediatype"
	"github.com/hookhub/hookhub/verify"
	"github.com/hookhub/hookhub/web"
)

// dedupWindow is how long a provider delivery id is remembered: longer than
// any provider's retry horizon (Stripe retries for three days).
const dedupWindow = 7 * 24 * time.Hour

// understand checks the body's JSON, and reads the event type,
// variables and provider delivery id. Invalid input stores nothing.
func (s *Server) understand(r *http.Request, src *hookhub.Source, ev *hookhub.Event) error {
	ct := r.Header.Get("Content-Type")
	if len(ev.Body) > 0 && mediatype.IsJSON(ct) {
		if err := ingest.CheckJSON(ev.Body, maxJSONDepth); err != nil {
			return err
		}
	} else if len(ev.Body) == 0 && mediatype.IsJSON(ct) && r.Method != http.MethodGet {
		return hookhub.Errorf(hookhub.EINVALID, "empty body")
	}
	preset := verify.PresetFor(src.Type)
	rule := src.EventType
	if rule == (hookhub.EventTypeRule{}) {
		rule = hookhub.EventTypeRule{Header: preset.EventHeader, JSONPath: preset.EventJSONPath, Default: preset.DefaultEvent}
	}
	// Flattening costs allocations per field, so it runs only when a rule
	// reads the body; without a selection nothing is stored, and the
	// inspector derives the variables from the raw body when asked.
	var flat ingest.Flat
	if rule.JSONPath != "" || preset.DeliveryIDJSONPath != "" || len(src.Variables) > 0 {
		flat = ingest.FlattenRequest(r.Header, r.URL.RawQuery, ct, ev.Body)
	}
	ev.Type = ingest.EventType(rule, r.Header, flat.Body)
	if len(src.Variables) > 0 {
		ev.Variables = flat.Variables(src.Variables)
	}
	ev.DedupKey = deliveryID(preset, r.Header, flat.Body)
	return nil
}

// deliveryID returns the provider's id for this delivery, which dedupes retries.
func deliveryID(p verify.Preset, h http.Header, body map[string]any) string {
	for _, name := range p.DeliveryIDHeaders() {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	if p.DeliveryIDJSONPath != "" {
		if v, ok := body[p.DeliveryIDJSONPath].(string); ok {
			return v
		}
	}
	return ""
}

// accept commits the event with its deliveries, applies its alerts, and
// answers the source's configured response. Nothing is answered 2xx before
// the commit.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, src *hookhub.Source, ev *hookhub.Event, alerts []hookhub.Alert) {
	ne := &hookhub.NewEvent{Event: ev, DedupScope: src.ID, DedupWindow: dedupWindow}
	ne.Deliveries = s.router.routeInbound(r.Context(), ev, src)
	if err := s.committer.Submit(r.Context(), ne); err != nil {
		web.Logger(r).Error("ingest commit failed", "source_id", src.ID, "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not store the webhook; retry later"))
		return
	}
	s.metrics.Ingested.WithLabelValues(ev.Status).Inc()
	if ev.Status == hookhub.EventAccepted && len(ne.Deliveries) > 0 {
		s.queued(ev)
	}
	s.stream.publish(ev)
	if ev.Status == hookhub.EventAccepted && len(alerts) > 0 {
		if err := s.applyAlerts(r.Context(), src, ev, alerts); err != nil {
			web.Logger(r).Error("applying alerts failed", "source_id", src.ID, "event_id", ev.ID, "err", err)
			web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not update incidents; retry later"))
			return
		}
	}
	if src.Alert.Kind == hookhub.SourcePagerDuty && len(alerts) == 1 {
		// Answer as PagerDuty's Events API does, so its clients work unchanged.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Hookhub-Event-Id", ev.ID)
		w.WriteHeader(http.StatusAccepted)
		w.Write(alert.PagerDutyAccepted(alerts[0].Fingerprint))
		return
	}
	for k, v := range src.Response.Headers {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.Header().Set("X-Hookhub-Event-Id", ev.ID)
	w.WriteHeader(src.Response.Status)
	w.Write([]byte(src.Response.Body))
}

// reject records a refused request (so it is counted and visible in the
// inspector, but never routed) and answers the error. status overrides the
// error's own status when non-zero.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, ev *hookhub.Event, status int, cause error) {
	ev.Status = hookhub.EventRejected
	if ev.Verification.Reason == "" {
		ev.Verification.Reason = hookhub.ErrorMessage(cause)
	}
	if err := s.committer.Submit(r.Context(), &hookhub.NewEvent{Event: ev}); err != nil {
		web.Logger(r).Warn("could not record rejected request", "err", err)
	} else {
		s.stream.publish(ev)
	}
	s.metrics.Ingested.WithLabelValues(hookhub.EventRejected).Inc()
	if status == 0 {
		web.Error(w, r, cause)
		return
	}
	web.JSON(w, status, web.ErrorBody{Error: web.ErrorDetail{Code: hookhub.ErrorCode(cause), Message: hookhub.ErrorMessage(cause)}})
}
