package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/incident"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/web"
)

// readAlerts reads the alerts of an alert source's webhook before anything is
// stored: a body that is not a valid alert is refused and changes nothing.
// PagerDuty senders get PagerDuty's own error body.
// The alerts are read from the event as stored, its credentials masked.
func (s *Server) readAlerts(w http.ResponseWriter, r *http.Request, src *hookhub.Source, ev *hookhub.Event, body *ingest.Body) ([]hookhub.Alert, bool) {
	alerts, err := alert.ParseDecoded(src.Alert, ev.Headers, body.Raw(), body.JSON)
	if err == nil {
		return alerts, true
	}
	if src.Alert.Kind == hookhub.SourcePagerDuty && hookhub.ErrorCode(err) == hookhub.EINVALID {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write(alert.PagerDutyInvalid(err))
		return nil, false
	}
	web.Error(w, r, err)
	return nil, false
}

// alertInputs makes the store's input for each alert of an event, to be
// applied in the event's own transaction, with the announcer that makes the
// incident.* event of each change.
func (s *Server) alertInputs(ctx context.Context, src *hookhub.Source, ev *hookhub.Event, alerts []hookhub.Alert) ([]*hookhub.AlertInput, []*announcement, error) {
	if len(alerts) == 0 {
		return nil, nil, nil
	}
	ins := make([]*hookhub.AlertInput, len(alerts))
	anns := make([]*announcement, len(alerts))
	for i, a := range alerts {
		ann, err := s.announcer(ctx, src.Name)
		if err != nil {
			return nil, nil, err
		}
		anns[i] = ann
		ins[i] = &hookhub.AlertInput{Alert: a, SourceID: src.ID, EventID: ev.ID, At: ev.ReceivedAt,
			ReopenWindow: s.reopenWindow, Announce: anns[i].make}
	}
	return ins, anns, nil
}

// alertsApplied counts the committed incident changes of an event's alerts
// and wakes the delivery of their announcements.
func (s *Server) alertsApplied(ne *hookhub.NewEvent, anns []*announcement) {
	for i, out := range ne.AlertOutcomes {
		if out != nil && out.Change != nil && i < len(anns) {
			s.metrics.Incidents.WithLabelValues(incident.EventType(out.Change)).Inc()
			s.announced(anns[i].event)
		}
	}
}

// applyAlert applies one alert of a source, carried by a stored event, and
// announces the change it causes.
func (s *Server) applyAlert(ctx context.Context, sourceID, sourceName, eventID string, at time.Time, a hookhub.Alert) (*hookhub.AlertOutcome, error) {
	ann, err := s.announcer(ctx, sourceName)
	if err != nil {
		return nil, err
	}
	out, err := s.store.ApplyAlert(ctx, &hookhub.AlertInput{
		Alert: a, SourceID: sourceID, EventID: eventID, At: at, ReopenWindow: s.reopenWindow,
		Announce: ann.make,
	})
	if err != nil {
		return nil, err
	}
	if out.Change != nil {
		s.metrics.Incidents.WithLabelValues(incident.EventType(out.Change)).Inc()
		s.announced(ann.event)
	}
	return out, nil
}

// ApplyWorkflowAlert applies an incident node's alert to the incidents of
// its workflow's source, as that source's own alerts would be.
func (s *Server) ApplyWorkflowAlert(ctx context.Context, sourceID, eventID string, a hookhub.Alert) (*hookhub.AlertOutcome, error) {
	return s.applyAlert(ctx, sourceID, s.sourceName(ctx, sourceID), eventID, s.now().UTC(), a)
}

// announcement makes the incident.* event for a change, routed to every
// enabled destination whose filter matches its type, severity and source,
// and keeps the last one it made for after the commit. It runs inside the
// store's transaction, so everything it needs from the store (destinations,
// the source's name) is read beforehand: a nested read could wait for a
// connection the transaction itself holds.
type announcement struct {
	s          *Server
	sourceName string
	dests      []routing.Dest
	event      *hookhub.NewEvent
}

// announcer fails when the destinations cannot be read: an incident change
// committed without its announcement's deliveries would never reach them.
func (s *Server) announcer(ctx context.Context, sourceName string) (*announcement, error) {
	dests, err := s.routing.Load(ctx)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EUNAVAILABLE, "could not route the incident's announcement; retry later")
	}
	return &announcement{s: s, sourceName: sourceName, dests: dests}, nil
}

func (a *announcement) make(inc *hookhub.Incident, e *hookhub.TimelineEntry) (*hookhub.NewEvent, error) {
	s := a.s
	a.event = nil
	typ := incident.EventType(e)
	if typ == "" {
		return nil, nil
	}
	body, err := incident.Body(inc, e, a.sourceName, s.baseURL+"/api/v1/incidents/"+inc.ID)
	if err != nil {
		return nil, err
	}
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), Type: typ, Status: hookhub.EventAccepted, ReceivedAt: s.now().UTC(),
		Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: body,
		Verification: hookhub.VerificationResult{Scheme: "system", Result: hookhub.VerifyNone, Reason: e.Actor},
	}
	ne := &hookhub.NewEvent{Event: ev}
	ne.Deliveries = routing.Published(a.dests, ev, inc.Severity, inc.SourceID, s.now())
	a.event = ne
	return ne, nil
}

// announced wakes the delivery workers for a committed announcement and
// shows it on the event stream.
func (s *Server) announced(ne *hookhub.NewEvent) {
	if ne == nil {
		return
	}
	if len(ne.Deliveries) > 0 {
		s.notify()
	}
	s.stream.publish(ne.Event)
}

// sourceName returns the name of an incident's source, "" when it is gone.
func (s *Server) sourceName(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	src, err := s.store.GetSource(ctx, id)
	if err != nil {
		return ""
	}
	return src.Name
}

// incidentMeta reads back the routing facts of a stored incident event, for
// replays; other events have none.
func incidentMeta(ev *hookhub.Event) (severity, sourceID string) {
	if !strings.HasPrefix(ev.Type, "incident.") {
		return "", ""
	}
	var p incident.Payload
	if json.Unmarshal(ev.Body, &p) != nil {
		return "", ""
	}
	return strings.ToLower(p.Severity), p.AlertContext.SourceID
}
