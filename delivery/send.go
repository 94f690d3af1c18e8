package delivery

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/transform"
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
	ctx, span := e.startAttempt(ctx, j, &at, m)
	start := time.Now()
	var res sender.Result
	if err := e.transformed(ctx, m); err != nil {
		res = notSent(err)
	} else {
		res = e.senderOf(j.dest).Send(ctx, m)
	}
	endAttempt(span, j.dest, res)
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

// transformed runs the destination's transform, if it has one, into
// m.Transform: once per attempt, so an edited transform applies to the
// retries of deliveries already queued.
func (e *Engine) transformed(ctx context.Context, m *sender.Message) error {
	if m.Destination.Transform == "" {
		return nil
	}
	ctx, span := e.transformSpan(ctx)
	defer span.End()
	t, err := transform.Cached(m.Destination.Transform)
	if err == nil {
		m.Transform, err = t.Apply(ctx, transform.EventOf(m.Event))
	}
	if err != nil {
		tracing.Fail(span, hookhub.ErrorMessage(err))
	}
	return err
}

// notSent is the result of an attempt stopped before anything was sent. It
// is retried like any failure, so a transform fixed meanwhile delivers.
func notSent(err error) sender.Result {
	msg := "not sent: " + hookhub.ErrorMessage(err)
	return sender.Result{Outcome: retry.Retry, Reason: msg, Error: msg}
}

func triggerOf(d *hookhub.Delivery) string {
	if d.Trigger == "" {
		return hookhub.TriggerInitial
	}
	return d.Trigger
}
