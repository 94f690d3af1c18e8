package delivery

import (
	"context"
	"errors"
	"fmt"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/routing"
)

// after acts on recorded outcomes: it logs deliveries that failed for good and
// disables destinations that are gone or keep failing. A stale result (its
// lease was lost) was not recorded and means nothing.
func (e *Engine) after(ctx context.Context, recorded []outcome) {
	failing := make(map[string]bool)
	for _, o := range recorded {
		if o.ordered && !o.res.Stale && o.v.status != hookhub.DeliveryPending {
			// The next delivery of its ordering key may go now, rather
			// than at the next poll.
			e.wake()
		}
		switch {
		case o.res.Stale:
			e.log.Info("attempt result not recorded: the delivery was finished or claimed again meanwhile",
				"delivery_id", o.res.Attempt.DeliveryID, "destination_id", o.destID)
		case o.v.disable:
			e.log.Warn("delivery failed: the receiver is gone",
				"delivery_id", o.res.Attempt.DeliveryID, "destination_id", o.destID, "attempts", o.res.Attempt.Number)
			e.disable(ctx, o.destID, o.v.lastError, 0)
		case o.v.exhausted:
			e.log.Warn("delivery failed: no retries left",
				"delivery_id", o.res.Attempt.DeliveryID, "destination_id", o.destID,
				"attempts", o.res.Attempt.Number, "last_error", o.v.lastError)
			failing[o.destID] = true
		case o.v.status == hookhub.DeliveryFailed:
			failing[o.destID] = true
		}
	}
	if e.opts.AutoDisableAfter > 0 {
		for id := range failing {
			e.checkFailures(ctx, id)
		}
	}
}

// checkFailures disables a destination whose deliveries have failed
// AutoDisableAfter times in a row; the store keeps the count. A read first
// spares a failing destination a write transaction per failure.
func (e *Engine) checkFailures(ctx context.Context, id string) {
	d, err := e.opts.Store.GetDestination(ctx, id)
	if err != nil {
		if hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
			e.log.Error("loading destination", "destination_id", id, "err", err)
		}
		return
	}
	if d.Enabled && d.ConsecutiveFailures >= e.opts.AutoDisableAfter {
		e.disable(ctx, id, "", e.opts.AutoDisableAfter)
	}
}

// errUnchanged aborts a disable that is no longer called for.
var errUnchanged = errors.New("destination needs no change")

// disable turns a destination off with a reason, in one store transaction
// with the destination.disabled event announcing it. With minFailures > 0 it
// disables only while the destination's count of failures in a row, read in
// that transaction, still reaches minFailures (the reason then gives the
// count): a destination re-enabled meanwhile, its count reset, stays
// enabled. Of engines racing to disable one destination, one does.
func (e *Engine) disable(ctx context.Context, id, reason string, minFailures int) {
	dests := e.announceTo(ctx) // read before the transaction, which must not wait on another
	at := e.opts.Now()
	var ne *hookhub.NewEvent
	d, err := e.opts.Store.UpdateDestination(ctx, id, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		if !d.Enabled || d.ConsecutiveFailures < minFailures {
			return nil, errUnchanged
		}
		if minFailures > 0 {
			reason = fmt.Sprintf("%d deliveries in a row failed", d.ConsecutiveFailures)
		}
		d.Enabled, d.DisabledReason, d.UpdatedAt = false, reason, at
		ne = announce(dests, NewDisabledEvent(d, reason, at), "", d, at)
		return ne, nil
	})
	switch {
	case errors.Is(err, errUnchanged) || hookhub.ErrorCode(err) == hookhub.ENOTFOUND:
		return
	case err != nil:
		e.log.Error("disabling destination", "destination_id", id, "err", err)
		return
	}
	e.log.Warn("destination disabled", "destination_id", id, "reason", reason)
	if len(ne.Deliveries) > 0 {
		e.Queued(ne.Event)
	}
	if e.opts.OnDisabled != nil {
		e.opts.OnDisabled(ctx, d, reason)
	}
}

// announceTo returns the destinations the engine's own events route to. The
// engine cannot refuse the result it is recording, so when the store cannot
// be read it routes over the last view it had, and says so.
func (e *Engine) announceTo(ctx context.Context) []routing.Dest {
	dests, err := e.routing.Load(ctx)
	if err != nil {
		e.log.Warn("announcing over the last known destinations", "err", err)
	}
	return dests
}
