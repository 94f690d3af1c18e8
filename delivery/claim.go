package delivery

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
)

// claim leases a batch of due deliveries and queues them on their lanes.
// Deliveries that cannot be sent at all are failed at once; those that hit a
// storage error are left to their lease.
func (l *loop) claim(ctx context.Context) {
	e := l.e
	now := e.opts.Now()
	l.nextPoll = time.Now().Add(e.opts.PollInterval)
	ds, err := e.opts.Store.ClaimDeliveries(ctx, now, e.opts.Lease, e.opts.BatchSize)
	if err != nil {
		if ctx.Err() == nil {
			e.log.Error("claiming deliveries", "err", err)
		}
		l.want = false // wait for the next poll rather than hammer a failing store
		return
	}
	l.want = len(ds) == e.opts.BatchSize
	if len(ds) == 0 {
		return
	}
	events, err := e.loadEvents(ctx, ds)
	if err != nil {
		e.log.Error("loading events of claimed deliveries", "count", len(ds), "err", err)
		return
	}
	deadline := now.Add(e.opts.Lease - e.opts.Lease/6)
	for _, d := range ds {
		if j := e.prepare(ctx, d, events[d.EventID], deadline); j != nil {
			l.enqueue(j)
		}
	}
}

// loadEvents returns the events of a batch of deliveries: those ingest just
// handed over from memory, the others read in one query.
func (e *Engine) loadEvents(ctx context.Context, ds []*hookhub.Delivery) (map[string]*hookhub.Event, error) {
	ids := make([]string, 0, len(ds))
	seen := make(map[string]bool, len(ds))
	for _, d := range ds {
		if !seen[d.EventID] {
			seen[d.EventID] = true
			ids = append(ids, d.EventID)
		}
	}
	m, missing := e.recent.take(ids)
	if len(missing) == 0 {
		return m, nil
	}
	evs, err := e.opts.Store.GetEvents(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		m[ev.ID] = ev
	}
	return m, nil
}

// prepare returns the job for a claimed delivery, or nil when it is not to be
// sent now: failed at once if its event or destination is gone or the
// destination is disabled, left to its lease on a storage error.
func (e *Engine) prepare(ctx context.Context, d *hookhub.Delivery, ev *hookhub.Event, deadline time.Time) *job {
	dest, err := e.destination(ctx, d.DestinationID)
	switch {
	case hookhub.ErrorCode(err) == hookhub.ENOTFOUND:
		e.rec.add(e.unsent(d, nil, "not sent: the destination no longer exists"))
		return nil
	case err != nil:
		e.log.Error("loading destination", "destination_id", d.DestinationID, "err", err)
		return nil
	case ev == nil:
		e.rec.add(e.unsent(d, dest, "not sent: the event no longer exists"))
		return nil
	case !dest.Enabled:
		e.rec.add(e.unsent(d, dest, "not sent: destination is disabled: "+orText(dest.DisabledReason, "by a user")))
		return nil
	case dest.Paused:
		// Queued just before the pause took effect: hold it with the rest.
		if err := e.opts.Store.HoldDelivery(ctx, d.ID); err != nil {
			e.log.Error("holding delivery of paused destination", "delivery_id", d.ID, "err", err)
		}
		return nil
	}
	forward, err := e.forwardHeaders(ctx, ev)
	if err != nil {
		e.log.Error("loading source", "source_id", ev.SourceID, "err", err)
		return nil
	}
	return &job{d: d, ev: ev, dest: dest, forward: forward, deadline: deadline}
}

// forwardHeaders returns the names of the original headers that the event's
// source passes on to its destinations; none for published events or when the
// source is gone.
func (e *Engine) forwardHeaders(ctx context.Context, ev *hookhub.Event) ([]string, error) {
	if ev.SourceID == "" {
		return nil, nil
	}
	src, err := e.sources.get(ctx, ev.SourceID)
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return src.ForwardHeaders, nil
}

// destination returns the cached destination, but reads a disabled or paused
// one again before believing it: a destination enabled or resumed a moment ago
// must not have its deliveries failed or held on a stale copy.
func (e *Engine) destination(ctx context.Context, id string) (*hookhub.Destination, error) {
	dest, err := e.dests.get(ctx, id)
	if err != nil || (dest.Enabled && !dest.Paused) {
		return dest, err
	}
	e.dests.forget(id)
	return e.dests.get(ctx, id)
}

// unsent is the failed result of a delivery that could not be sent. It is
// recorded as an attempt without a request, so the delivery's history says why
// it failed; failed deliveries can be resent once the cause is fixed.
func (e *Engine) unsent(d *hookhub.Delivery, dest *hookhub.Destination, why string) outcome {
	at := hookhub.Attempt{
		ID:         hookhub.NewID(hookhub.PrefixAttempt),
		DeliveryID: d.ID,
		Number:     d.AttemptCount + 1,
		Trigger:    triggerOf(d),
		Error:      why,
		StartedAt:  e.opts.Now(),
	}
	res := &hookhub.AttemptResult{Attempt: at, Status: hookhub.DeliveryFailed, LastError: why, LeaseToken: d.LeaseToken}
	return outcome{res: res, destID: d.DestinationID, v: verdict{status: hookhub.DeliveryFailed, lastError: why}, ordered: d.Ordered}
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
