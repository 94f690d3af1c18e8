package delivery

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
)

// outcome is one attempt's result on its way to the store, with what the engine
// must do about it once it is recorded.
type outcome struct {
	res    *hookhub.AttemptResult
	destID string
	v      verdict
	// ordered: the delivery holds its ordering key's queue until recorded.
	ordered bool
}

// writeRetries are the pauses before writing a failed batch again. If every
// write fails, the leases bring the deliveries back and they are sent again.
var writeRetries = [...]time.Duration{50 * time.Millisecond, 250 * time.Millisecond, time.Second}

// recorder writes attempt results in batches: it takes whatever has piled up
// while the previous batch was written, up to BatchSize, so a busy engine
// writes many results per transaction and an idle one writes each at once.
type recorder struct {
	e      *Engine
	in     chan outcome
	closed chan struct{}
}

func newRecorder(e *Engine) *recorder {
	return &recorder{e: e, in: make(chan outcome, 2*e.opts.BatchSize), closed: make(chan struct{})}
}

// add hands a result over; it blocks while the recorder is a full queue behind,
// which holds back the senders rather than letting results pile up unwritten.
func (r *recorder) add(o outcome) { r.in <- o }

// run writes results until in is closed and drained.
func (r *recorder) run(ctx context.Context) {
	defer close(r.closed)
	batch := make([]outcome, 0, r.e.opts.BatchSize)
	for o := range r.in {
		batch = append(batch[:0], o)
	fill:
		for len(batch) < cap(batch) {
			select {
			case o, ok := <-r.in:
				if !ok {
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		recorded := r.write(ctx, batch)
		r.e.announced(recorded)
		r.e.after(ctx, recorded)
	}
}

// write records a batch in one transaction, trying again a few times. If it
// still fails, each result is tried once on its own, so one result the store
// rejects does not take the others down with it. It returns the outcomes that
// were recorded.
func (r *recorder) write(ctx context.Context, batch []outcome) []outcome {
	err := r.complete(ctx, batch)
	for i := 0; err != nil && i < len(writeRetries); i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(writeRetries[i]):
		}
		err = r.complete(ctx, batch)
	}
	if err == nil {
		return batch
	}
	var done []outcome
	for _, o := range batch {
		if len(batch) > 1 {
			err = r.complete(ctx, []outcome{o})
		}
		if err == nil {
			done = append(done, o)
			continue
		}
		r.e.log.Error("recording attempt; its delivery will be sent again when the lease expires",
			"delivery_id", o.res.Attempt.DeliveryID, "err", err)
	}
	return done
}

func (r *recorder) complete(ctx context.Context, batch []outcome) error {
	results := make([]*hookhub.AttemptResult, len(batch))
	for i, o := range batch {
		results[i] = o.res
	}
	return r.e.opts.Store.CompleteAttempts(ctx, results)
}

// announced wakes the engine for the deliveries of the events that recorded
// outcomes announced, handing it the events so it need not read them back.
func (e *Engine) announced(recorded []outcome) {
	for _, o := range recorded {
		if a := o.res.Announce; a != nil && !o.res.Stale && len(a.Deliveries) > 0 {
			e.Queued(a.Event)
		}
	}
}
