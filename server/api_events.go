package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/web"
)

func (s *Server) handleListEvents(w http.ResponseWriter, r *http.Request) {
	f, err := eventFilterOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListEvents(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]eventJSON, len(list))
	for i, ev := range list {
		out[i] = eventOut(ev, false)
	}
	web.JSON(w, http.StatusOK, listJSON[eventJSON]{Data: out, NextCursor: next})
}

func eventFilterOf(r *http.Request) (hookhub.EventFilter, error) {
	var f hookhub.EventFilter
	var err error
	if f.Page, err = pageOf(r); err != nil {
		return f, err
	}
	if f.Status, err = oneOf(r, "status", hookhub.EventAccepted, hookhub.EventRejected, hookhub.EventDuplicate); err != nil {
		return f, err
	}
	if f.Since, err = timeParam(r, "since"); err != nil {
		return f, err
	}
	if f.Until, err = timeParam(r, "until"); err != nil {
		return f, err
	}
	f.SourceID, f.Type = r.URL.Query().Get("source_id"), r.URL.Query().Get("type")
	return f, nil
}

func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request) {
	ev, err := s.store.GetEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := eventOut(ev, true)
	if len(ev.Variables) == 0 && len(ev.Body) > 0 {
		ct := ""
		if v := ev.Headers["Content-Type"]; len(v) > 0 {
			ct = v[0]
		}
		out.Variables = ingest.FlattenRequest(ev.Headers, ev.RawQuery, ct, ev.Body).Variables(nil)
	}
	web.JSON(w, http.StatusOK, out)
}

// publishInput is an event from the user's own application.
type publishInput struct {
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// idempotencyWindow is how long an Idempotency-Key returns the original event.
const idempotencyWindow = 24 * time.Hour

func (s *Server) handlePublishEvent(w http.ResponseWriter, r *http.Request) {
	var in publishInput
	if err := web.DecodeJSONBody(w, r, &in, false); err != nil {
		web.Error(w, r, err)
		return
	}
	if in.Type == "" || len(in.Type) > 200 || strings.ContainsRune(in.Type, 0) {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "type is required (at most 200 characters)"))
		return
	}
	if len(in.Payload) == 0 || in.Payload[0] != '{' {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "payload must be a JSON object"))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "Idempotency-Key is longer than 255 characters"))
		return
	}
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), Type: in.Type, Status: hookhub.EventAccepted, ReceivedAt: s.now().UTC(),
		Method: r.Method, Path: r.URL.Path, Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body: in.Payload, ClientIP: clientIP(r), DedupKey: key,
		Verification: hookhub.VerificationResult{Scheme: "api-key", Result: hookhub.VerifyVerified, Reason: actor(r.Context())},
	}
	s.carryTrace(r.Context(), ev)
	ne := &hookhub.NewEvent{Event: ev, DedupScope: "api", DedupWindow: idempotencyWindow}
	var err error
	if ne.Deliveries, err = s.route(r.Context(), func(ctx context.Context) ([]*hookhub.Delivery, error) {
		return s.routing.Published(ctx, ev, "", "")
	}); err != nil {
		web.Logger(r).Error("publish routing failed", "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not route the event; retry later"))
		return
	}
	if err := s.commit(r.Context(), ne); err != nil {
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not store the event; retry later"))
		return
	}
	if ev.Status == hookhub.EventDuplicate {
		orig, err := s.store.GetEvent(r.Context(), ev.DuplicateOf)
		if err != nil {
			web.Error(w, r, err)
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
		web.JSON(w, http.StatusAccepted, eventOut(orig, false))
		return
	}
	if len(ne.Deliveries) > 0 {
		s.notify()
	}
	s.stream.publish(ev)
	web.JSON(w, http.StatusAccepted, eventOut(ev, false))
}

// replayJSON answers a replay: the deliveries it started.
type replayJSON struct {
	EventID     string   `json:"event_id"`
	DeliveryIDs []string `json:"delivery_ids"`
}

// handleReplayEvent runs a stored event through the current routing again,
// creating new deliveries (with new delivery IDs: it is a new send).
func (s *Server) handleReplayEvent(w http.ResponseWriter, r *http.Request) {
	ev, err := s.store.GetEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if ev.Status != hookhub.EventAccepted {
		web.Error(w, r, hookhub.Errorf(hookhub.ECONFLICT, "only accepted events can be replayed; this one is %s", ev.Status))
		return
	}
	var ds []*hookhub.Delivery
	if ev.SourceID != "" {
		var src *hookhub.Source
		if src, err = s.store.GetSource(r.Context(), ev.SourceID); err != nil {
			web.Error(w, r, err)
			return
		}
		ds, err = s.routing.Inbound(r.Context(), ev, src)
	} else {
		severity, sourceID := incidentMeta(ev)
		ds, err = s.routing.Published(r.Context(), ev, severity, sourceID)
	}
	if err != nil {
		web.Logger(r).Error("replay routing failed", "event_id", ev.ID, "err", err)
		web.Error(w, r, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not route the event; retry later"))
		return
	}
	if err := s.store.AddDeliveries(r.Context(), ds); err != nil {
		web.Error(w, r, err)
		return
	}
	out := replayJSON{EventID: ev.ID, DeliveryIDs: []string{}}
	for _, d := range ds {
		out.DeliveryIDs = append(out.DeliveryIDs, d.ID)
	}
	s.notify()
	web.JSON(w, http.StatusAccepted, out)
}
