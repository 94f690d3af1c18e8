package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/filter"
)

// routerTTL bounds how long another replica's destination change can go unseen.
const routerTTL = 2 * time.Second

// router decides which destinations an event goes to. It keeps every
// destination with its compiled filter in memory, refreshed every routerTTL
// and at once after a change made here.
//
// Routing rules: an event received on a source goes to the destinations the
// source names in destination_ids, and to destinations whose filter names the
// source in source_ids (and otherwise matches). Events published through the
// API and Hookhub's own events go to every enabled destination whose filter
// matches. Disabled destinations receive nothing new; their events can be
// replayed after they are enabled again.
type router struct {
	store hookhub.Store
	log   *slog.Logger
	now   func() time.Time

	mu      sync.Mutex
	dests   []routeDest
	expires time.Time
}

type routeDest struct {
	d *hookhub.Destination
	m *filter.Matcher
}

func (rt *router) invalidate() {
	rt.mu.Lock()
	rt.expires = time.Time{}
	rt.mu.Unlock()
}

func (rt *router) load(ctx context.Context) []routeDest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	now := rt.now()
	if now.Before(rt.expires) {
		return rt.dests
	}
	var all []routeDest
	page := hookhub.Page{Limit: 500}
	for {
		list, next, err := rt.store.ListDestinations(ctx, page)
		if err != nil {
			// Keep routing with what we had; the error is transient or the
			// commit itself will fail and answer 503.
			rt.log.Error("load destinations for routing", "err", err)
			return rt.dests
		}
		for _, d := range list {
			m, err := filter.Compile(d.Filter)
			if err != nil {
				rt.log.Error("destination filter does not compile; skipping", "destination_id", d.ID, "err", err)
				continue
			}
			all = append(all, routeDest{d: d, m: m})
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	rt.dests, rt.expires = all, now.Add(routerTTL)
	return all
}

// routeInbound returns the deliveries for an event received on src.
func (rt *router) routeInbound(ctx context.Context, ev *hookhub.Event, src *hookhub.Source) []*hookhub.Delivery {
	in := newLazyInput(ev, "")
	var out []*hookhub.Delivery
	for _, rd := range rt.load(ctx) {
		named := slices.Contains(src.DestinationIDs, rd.d.ID)
		if !rd.d.Enabled || !(named || slices.Contains(rd.d.Filter.SourceIDs, src.ID)) {
			continue
		}
		// A destination named by the source takes all its events unless its
		// own filter narrows them further.
		if rd.m.Match(in.get(rd.m)) {
			out = append(out, rt.newDelivery(ev, rd.d, hookhub.TriggerInitial))
		}
	}
	return out
}

// routePublished returns the deliveries for an event published through the
// API or raised by Hookhub itself. Hookhub's incident events carry the
// incident's severity and the source its alerts came from, so destinations
// can filter on both.
func (rt *router) routePublished(ctx context.Context, ev *hookhub.Event, severity, sourceID string) []*hookhub.Delivery {
	return rt.routePublishedTo(rt.load(ctx), ev, severity, sourceID)
}

// routePublishedTo is routePublished over a set of destinations already
// loaded, for callers that must not read the store meanwhile.
func (rt *router) routePublishedTo(dests []routeDest, ev *hookhub.Event, severity, sourceID string) []*hookhub.Delivery {
	in := newLazyInput(ev, severity)
	in.in.SourceID = sourceID
	var out []*hookhub.Delivery
	for _, rd := range dests {
		if rd.d.Enabled && rd.m.Match(in.get(rd.m)) {
			out = append(out, rt.newDelivery(ev, rd.d, hookhub.TriggerInitial))
		}
	}
	return out
}

// newDelivery queues ev for dest, held from the start when dest is paused.
func (rt *router) newDelivery(ev *hookhub.Event, dest *hookhub.Destination, trigger string) *hookhub.Delivery {
	now := rt.now().UTC()
	return &hookhub.Delivery{
		ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: dest.ID,
		Status: hookhub.DeliveryPending, Trigger: trigger, Held: dest.Paused,
		NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
	}
}

// lazyInput decodes the event's JSON body only if some filter needs it.
type lazyInput struct {
	ev      *hookhub.Event
	in      filter.Input
	decoded bool
}

func newLazyInput(ev *hookhub.Event, severity string) *lazyInput {
	return &lazyInput{ev: ev, in: filter.Input{Type: ev.Type, Severity: severity, SourceID: ev.SourceID, Headers: ev.Headers}}
}

func (l *lazyInput) get(m *filter.Matcher) filter.Input {
	if !l.decoded && m.NeedsPayload() {
		l.decoded = true
		var payload map[string]any
		if json.Unmarshal(l.ev.Body, &payload) == nil {
			l.in.Payload = payload
		}
	}
	return l.in
}
