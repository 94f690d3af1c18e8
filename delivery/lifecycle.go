package delivery

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// Start runs the engine in the background until Stop is called or ctx ends.
// Ending ctx is a hard stop: requests in flight are abandoned unrecorded and
// sent again once their leases expire. Start returns at once; calling it again
// does nothing, and an Engine that has stopped does not start again.
func (e *Engine) Start(ctx context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.loopEnd != nil {
		return
	}
	reqCtx, abort := context.WithCancel(ctx)
	e.abort = abort
	e.loopEnd = make(chan struct{})
	sends := make(chan send, e.opts.Workers)
	for range e.opts.Workers {
		go e.work(reqCtx, sends)
	}
	l := &loop{
		e:        e,
		reqCtx:   reqCtx,
		sends:    sends,
		lanes:    make(map[string]*lane),
		busy:     make(map[*lane]struct{}),
		want:     true,
		nextPoll: time.Now(),
		timer:    time.NewTimer(time.Hour),
	}
	// Results already collected are still written after a hard stop, if the
	// store allows; nothing is lost if it does not.
	go e.rec.run(context.WithoutCancel(ctx))
	go e.releaseHeld(ctx, e.stop)
	go func() {
		l.run(ctx)
		close(sends) // nothing is in flight once run returns
		close(e.rec.in)
		<-e.rec.closed
		abort()
		e.unwatch()
		e.closeSenders()
		close(e.loopEnd)
	}()
}

// Stop stops claiming deliveries, waits for the requests in flight to finish and
// their attempts to be recorded, and returns. If ctx ends first, it abandons
// the requests still in flight (they are sent again once their leases expire)
// and returns ctx's error. Deliveries claimed but not yet started are likewise
// left to their leases.
func (e *Engine) Stop(ctx context.Context) error {
	e.mu.Lock()
	end, abort := e.loopEnd, e.abort
	if end != nil {
		select {
		case <-e.stop:
		default:
			close(e.stop)
		}
	}
	e.mu.Unlock()
	if end == nil {
		return nil
	}
	select {
	case <-end:
		return nil
	case <-ctx.Done():
		abort()
		return ctx.Err()
	}
}

// send makes one attempt of a job and hands the result to the recorder and the
// job back to the loop. The job may have waited in its lane since it was
// claimed, so it takes its destination's current settings first: an edit
// made meanwhile (a rotated secret, a new URL, a disable or pause) applies.
func (e *Engine) send(ctx context.Context, j *job, timeout time.Duration) {
	defer func() { e.done <- j }()
	now := e.prepare(ctx, j.d, j.ev, j.deadline)
	if now == nil {
		return // recorded as not sent, held, or left to its lease
	}
	j.dest, j.forward = now.dest, now.forward
	at, res := e.attempt(ctx, j, timeout)
	if res.Outcome != retry.Success && ctx.Err() != nil {
		return // the engine gave up on it, not the receiver: its lease brings it back
	}
	e.rec.add(e.outcome(ctx, j, at, res))
}

// outcome decides what an attempt means for its delivery. A delivery that
// failed for good is announced with a delivery.failed event, stored with the
// result.
func (e *Engine) outcome(ctx context.Context, j *job, at hookhub.Attempt, sent sender.Result) outcome {
	now := e.opts.Now()
	v := decide(j.dest.Retry, at.Number, sent, now, rand.Float64)
	if note := orderingNote(j.d, v); note != "" {
		at.Error = joinNote(at.Error, note)
		v.lastError = joinNote(v.lastError, note)
	}
	res := &hookhub.AttemptResult{Attempt: at, Status: v.status, NextAttemptAt: v.next, LastError: v.lastError,
		LeaseToken: j.d.LeaseToken}
	if v.status == hookhub.DeliveryFailed && raisesFailure(j.ev.Type) {
		ev := NewFailedEvent(j.d, j.ev, j.dest, at.Number, v.lastError, now)
		res.Announce = announce(e.announceTo(ctx), ev, j.ev.SourceID, j.dest, now)
	}
	return outcome{res: res, destID: j.dest.ID, v: v, ordered: j.d.Ordered}
}

// SendNow makes one attempt of d at once, outside the queue and its limits, and
// records it like any other: it is what "send test alert" uses. It sends even to
// a disabled destination, since testing one is how a user decides to enable it.
//
// d must already be stored. So that the engine does not claim it at the same
// time, store it with NextAttemptAt at least a lease ahead; if the attempt fails
// it is retried on the destination's schedule like any other.
func (e *Engine) SendNow(ctx context.Context, d *hookhub.Delivery) (*hookhub.AttemptResult, error) {
	ev, err := e.opts.Store.GetEvent(ctx, d.EventID)
	if err != nil {
		return nil, err
	}
	dest, err := e.opts.Store.GetDestination(ctx, d.DestinationID)
	if err != nil {
		return nil, err
	}
	forward, err := e.forwardHeaders(ctx, ev)
	if err != nil {
		return nil, err
	}
	j := &job{d: d, ev: ev, dest: dest, forward: forward}
	at, res := e.attempt(ctx, j, destTimeout(dest))
	o := e.outcome(ctx, j, at, res)
	if err := e.opts.Store.CompleteAttempts(ctx, []*hookhub.AttemptResult{o.res}); err != nil {
		return nil, err
	}
	e.announced([]outcome{o})
	e.after(ctx, []outcome{o})
	return o.res, nil
}

// releaseHeld periodically releases deliveries left held for destinations
// that are no longer paused (see hookhub.Store.ReleaseHeld), until stop.
func (e *Engine) releaseHeld(ctx context.Context, stop <-chan struct{}) {
	t := time.NewTicker(e.opts.ReleaseInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.C:
			n, err := e.opts.Store.ReleaseHeld(ctx)
			if err != nil && ctx.Err() == nil {
				e.log.Error("releasing held deliveries", "err", err)
			}
			if n > 0 {
				e.log.Info("released deliveries held for destinations no longer paused", "count", n)
				e.wake()
			}
		}
	}
}
