package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hookhub/hookhub"
)

// EventDestinationDisabled is the type of the event saved when the engine
// disables a destination.
const EventDestinationDisabled = "destination.disabled"

// after acts on recorded outcomes: it logs deliveries that failed for good and
// disables destinations that are gone or keep failing. A stale result (its
// lease was lost) was not recorded and means nothing.
func (e *Engine) after(ctx context.Context, recorded []outcome) {
	failing := make(map[string]bool)
	for _, o := range recorded {
		switch {
		case o.res.Stale:
			e.log.Info("attempt result not recorded: the delivery was finished or claimed again meanwhile",
				"delivery_id", o.res.Attempt.DeliveryID, "destination_id", o.destID)
		case o.v.disable:
			e.log.Warn("delivery failed: the receiver is gone",
				"delivery_id", o.res.Attempt.DeliveryID, "destination_id", o.destID, "attempts", o.res.Attempt.Number)
			e.disable(ctx, o.destID, o.v.lastError)
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
// AutoDisableAfter times in a row; the store keeps the count.
func (e *Engine) checkFailures(ctx context.Context, id string) {
	d, err := e.opts.Store.GetDestination(ctx, id)
	if err != nil {
		if hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
			e.log.Error("loading destination", "destination_id", id, "err", err)
		}
		return
	}
	if d.Enabled && d.ConsecutiveFailures >= e.opts.AutoDisableAfter {
		e.disable(ctx, id, fmt.Sprintf("%d deliveries in a row failed", d.ConsecutiveFailures))
	}
}

// disable turns a destination off with a reason and reports it through
// OnDisabled. Two engines may race to disable the same destination; both then
// report it, which is harmless.
func (e *Engine) disable(ctx context.Context, id, reason string) {
	d, err := e.opts.Store.GetDestination(ctx, id)
	if err != nil || !d.Enabled {
		return
	}
	d.Enabled = false
	d.DisabledReason = reason
	d.UpdatedAt = e.opts.Now()
	if err := e.opts.Store.UpdateDestination(ctx, d); err != nil {
		e.log.Error("disabling destination", "destination_id", id, "err", err)
		return
	}
	e.dests.forget(id)
	e.log.Warn("destination disabled", "destination_id", id, "reason", reason)
	e.opts.OnDisabled(ctx, d, reason)
}

// saveDisabledEvent is the default OnDisabled: it stores a destination.disabled
// event, for the console and for whoever routes Hookhub's own events.
func (e *Engine) saveDisabledEvent(ctx context.Context, d *hookhub.Destination, reason string) {
	ev := NewDisabledEvent(d.ID, reason, e.opts.Now())
	if err := e.opts.Store.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev}}); err != nil {
		e.log.Error("saving destination.disabled event", "destination_id", d.ID, "err", err)
	}
}

// NewDisabledEvent returns the destination.disabled event for a destination
// disabled at at: a JSON body of destination_id, reason and disabled_at.
func NewDisabledEvent(destinationID, reason string, at time.Time) *hookhub.Event {
	body, _ := json.Marshal(struct {
		DestinationID string `json:"destination_id"`
		Reason        string `json:"reason"`
		DisabledAt    string `json:"disabled_at"`
	}{destinationID, reason, at.UTC().Format(time.RFC3339)})
	return &hookhub.Event{
		ID:           hookhub.NewID(hookhub.PrefixEvent),
		Type:         EventDestinationDisabled,
		Status:       hookhub.EventAccepted,
		ReceivedAt:   at,
		Method:       "POST",
		Headers:      map[string][]string{"Content-Type": {"application/json"}},
		Body:         body,
		Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone},
	}
}
