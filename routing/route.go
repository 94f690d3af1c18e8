// Package routing decides which destinations an event goes to. The decisions
// are pure functions over a set of destinations with their compiled filters
// (Inbound, Published); Table keeps that set in memory for the callers that
// route: ingest, replay, incident announcements and workflows.
//
// Rules: an event received on a source goes to the destinations the source
// names in destination_ids, and to destinations whose filter names the source
// in source_ids (and otherwise matches). Events published through the API and
// Hookhub's own events go to every enabled destination whose filter matches.
// Disabled destinations receive nothing new; their events can be replayed
// after they are enabled again. A paused destination's deliveries are held
// from the start.
package routing

import (
	"net/http"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/filter"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/ordering"
)

// Dest is a destination with its compiled filter.
type Dest struct {
	D *hookhub.Destination
	M *filter.Matcher
}

// Compile pairs a destination with its compiled filter.
func Compile(d *hookhub.Destination) (Dest, error) {
	m, err := filter.Compile(d.Filter)
	if err != nil {
		return Dest{}, err
	}
	return Dest{D: d, M: m}, nil
}

// Payload returns an event's decoded JSON body (see ingest.Body.JSON), for
// callers that decoded it already; an error means it is not JSON.
type Payload func() (any, error)

// Inbound returns the deliveries, due at now, of an event received on src.
func Inbound(dests []Dest, ev *hookhub.Event, src *hookhub.Source, now time.Time) []*hookhub.Delivery {
	return InboundDecoded(dests, ev, src, nil, now)
}

// InboundDecoded is Inbound with the event's body decoded by the caller;
// a nil payload decodes it here if a filter reads it.
func InboundDecoded(dests []Dest, ev *hookhub.Event, src *hookhub.Source, payload Payload, now time.Time) []*hookhub.Delivery {
	in := newLazyInput(ev, "", ev.SourceID)
	in.payload = payload
	var out []*hookhub.Delivery
	for _, rd := range dests {
		named := slices.Contains(src.DestinationIDs, rd.D.ID)
		if !rd.D.Enabled || !(named || slices.Contains(rd.D.Filter.SourceIDs, src.ID)) {
			continue
		}
		// A destination named by the source takes all its events unless its
		// own filter narrows them further.
		if rd.M.Match(in.get(rd.M)) {
			out = append(out, NewDelivery(ev, rd.D, hookhub.TriggerInitial, now))
		}
	}
	return out
}

// Published returns the deliveries, due at now, of an event published
// through the API or raised by Hookhub itself. Hookhub's incident events
// carry the incident's severity and the source its alerts came from, so
// destinations can filter on both.
func Published(dests []Dest, ev *hookhub.Event, severity, sourceID string, now time.Time) []*hookhub.Delivery {
	in := newLazyInput(ev, severity, sourceID)
	var out []*hookhub.Delivery
	for _, rd := range dests {
		if rd.D.Enabled && rd.M.Match(in.get(rd.M)) {
			out = append(out, NewDelivery(ev, rd.D, hookhub.TriggerInitial, now))
		}
	}
	return out
}

// NewDelivery queues ev for dest, due at now, held from the start when dest
// is paused, with its ordering key when dest is fifo.
func NewDelivery(ev *hookhub.Event, dest *hookhub.Destination, trigger string, now time.Time) *hookhub.Delivery {
	now = now.UTC()
	d := &hookhub.Delivery{
		ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: dest.ID,
		Status: hookhub.DeliveryPending, Trigger: trigger, Held: dest.Paused,
		NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
	}
	ordering.Apply(d, dest, ev)
	return d
}

// lazyInput decodes the event's JSON body only if some filter needs it,
// or takes the caller's decoding.
type lazyInput struct {
	ev      *hookhub.Event
	in      filter.Input
	payload Payload
	decoded bool
}

func newLazyInput(ev *hookhub.Event, severity, sourceID string) *lazyInput {
	return &lazyInput{ev: ev, in: filter.Input{ID: ev.ID, Type: ev.Type, Severity: severity, SourceID: sourceID, Headers: ev.Headers}}
}

func (l *lazyInput) get(m *filter.Matcher) filter.Input {
	if !l.decoded && m.NeedsPayload() {
		l.decoded = true
		if l.payload == nil {
			body := ingest.NewBody(l.ev.Body, http.Header(l.ev.Headers).Get("Content-Type"))
			l.payload = body.JSON
		}
		if doc, err := l.payload(); err == nil {
			l.in.Payload = doc
		}
	}
	return l.in
}
