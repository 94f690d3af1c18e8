package delivery

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/sender"
)

// attempt makes one attempt of a job through its destination type's sender
// and returns the recorded attempt with the sender's result. timeout bounds
// the whole exchange.
func (e *Engine) attempt(ctx context.Context, j *job, timeout time.Duration) (hookhub.Attempt, sender.Result) {
	now := e.opts.Now()
	at := hookhub.Attempt{
		ID:         hookhub.NewID(hookhub.PrefixAttempt),
		DeliveryID: j.d.ID,
		Number:     j.d.AttemptCount + 1,
		Trigger:    triggerOf(j.d),
		StartedAt:  now,
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m := &sender.Message{Delivery: j.d, Event: j.ev, Destination: j.dest, Forward: j.forward, Now: now, Timeout: timeout}
	start := time.Now()
	res := e.senderOf(j.dest).Send(ctx, m)
	at.DurationMS = time.Since(start).Milliseconds()
	at.Target = res.Target
	at.RequestHeaders = res.Headers
	at.StatusCode = res.StatusCode
	at.ResponseHeaders = res.ResponseHeaders
	at.ResponseBody = res.Response
	at.Error = res.Error
	at.Limit() // before the result waits in memory to be recorded
	return at, res
}

func triggerOf(d *hookhub.Delivery) string {
	if d.Trigger == "" {
		return hookhub.TriggerInitial
	}
	return d.Trigger
}
