package server

import (
	"context"
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/web"
)

// understand reads the event type, variables and provider delivery id of an
// accepted request, from the event as it will be stored (credentials masked,
// so no variable can keep one), and returns its body for the decisions that
// follow to decode at most once. Invalid input stores nothing.
func (s *Server) understand(src *hookhub.Source, ev *hookhub.Event) (*ingest.Body, error) {
	u, err := ingest.Understand(src, ingest.Request{Method: ev.Method, Header: ev.Headers, RawQuery: ev.RawQuery, Body: ev.Body})
	if err != nil {
		return nil, err
	}
	ev.Type, ev.Variables, ev.DedupKey = u.Type, u.Variables, u.DedupKey
	return u.Body, nil
}

// accept commits the event with its deliveries, its workflow runs and the
// incident changes of its alerts, all in one transaction, and answers the
// source's configured response. Nothing is answered 2xx before the commit,
// and nothing is answered but 2xx after it: the answer says what was
// committed, so a sender never retries an alert that was already applied.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, src *hookhub.Source, ev *hookhub.Event, alerts []hookhub.Alert,
	body *ingest.Body, wf *workflowHook) {
	ctx, cancel := context.WithTimeout(r.Context(), s.storeTimeout)
	defer cancel()
	ne := &hookhub.NewEvent{Event: ev, DedupScope: src.ID, DedupWindow: ingest.DedupWindow}
	var err error
	ne.Deliveries, err = s.route(ctx, func(ctx context.Context) ([]*hookhub.Delivery, error) {
		return s.routing.InboundDecoded(ctx, ev, src, body.JSON)
	})
	var anns []*announcement
	if err == nil {
		ne.Alerts, anns, err = s.alertInputs(ctx, src, ev, alerts)
	}
	if err != nil {
		// Storing it without the deliveries it should have would drop them.
		web.Logger(r).Error("ingest routing failed", "source_id", src.ID, "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not route the webhook; retry later"))
		return
	}
	ne.Runs = wf.runs(s)
	if err = s.commit(ctx, ne); err != nil {
		if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
			// Deleted since it was looked up (perhaps by another process):
			// nothing was stored, so the sender must not hear otherwise.
			web.Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such webhook endpoint"))
			return
		}
		web.Logger(r).Error("ingest commit failed", "source_id", src.ID, "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not store the webhook; retry later"))
		return
	}
	s.metrics.Ingested.WithLabelValues(ev.Status).Inc()
	if ev.Status == hookhub.EventAccepted && len(ne.Deliveries) > 0 {
		s.queued(ev)
	}
	s.stream.publish(ev)
	s.alertsApplied(ne, anns)
	if wf.answer(s, w, r, ne, body) {
		return
	}
	if src.Alert.Kind == hookhub.SourcePagerDuty && len(alerts) == 1 {
		// Answer as PagerDuty's Events API does, so its clients work unchanged.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Hookhub-Event-Id", ev.ID)
		w.WriteHeader(http.StatusAccepted)
		w.Write(alert.PagerDutyAccepted(alerts[0].Fingerprint))
		return
	}
	if challenge, ok := ingest.URLChallenge(src.Type, ev.Body); ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Hookhub-Event-Id", ev.ID)
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(challenge))
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
	ctx, cancel := context.WithTimeout(r.Context(), s.storeTimeout)
	defer cancel()
	if err := s.commit(ctx, &hookhub.NewEvent{Event: ev}); err != nil {
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
