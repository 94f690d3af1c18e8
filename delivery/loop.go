package delivery

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
)

// laneIdleTTL is how long an unused lane is kept, so a rate-limited destination
// does not get a fresh burst each time its queue runs dry.
const laneIdleTTL = time.Minute

// loop is the state of the engine's claim-and-dispatch goroutine. Everything in
// it belongs to that goroutine alone, so none of it needs a lock.
type loop struct {
	e        *Engine
	reqCtx   context.Context // parent of every request; canceled when Stop gives up
	sends    chan<- send     // to the workers; never full, as inflight <= Workers
	lanes    map[string]*lane
	busy     map[*lane]struct{} // lanes with queued jobs
	queued   int                // jobs waiting in lanes
	inflight int
	want     bool      // there may be due work: claim when a worker is free
	nextPoll time.Time // when an idle engine asks the store again
	timer    *time.Timer
}

// run claims and dispatches until stopped, then waits for the requests in flight
// and for their results to be written.
func (l *loop) run(ctx context.Context) {
	stop := l.e.stop
	stopping := false
	for !stopping || l.inflight > 0 {
		if !stopping {
			wait := l.pump()
			if l.canClaim() {
				l.claim(ctx)
				continue
			}
			l.arm(wait)
		}
		select {
		case <-ctx.Done():
			stopping, stop = true, nil
			l.dropQueued()
		case <-stop:
			stopping, stop = true, nil
			l.dropQueued()
		case <-l.e.notify:
			l.want = true
		case j := <-l.e.done:
			l.finish(j)
		case <-l.timer.C:
			l.tick()
		}
	}
	l.timer.Stop()
}

// canClaim reports whether to claim now: there may be due work, a worker is
// free, and there is room in memory for a batch, after dropping jobs that lanes
// have no time left to start.
func (l *loop) canClaim() bool {
	if !l.want || l.inflight >= l.e.opts.Workers {
		return false
	}
	if l.room() {
		return true
	}
	real := time.Now()
	for ln := range l.busy {
		l.queued -= ln.trim(ln.capacity(real, l.e.opts.Lease/2))
	}
	return l.room()
}

func (l *loop) room() bool {
	return l.queued+l.e.opts.BatchSize <= l.maxQueued()
}

// arm sets the timer for the next poll or, if sooner, the moment a rate-limited
// lane may send again. An engine that wants to claim does not poll: it claims
// as soon as a worker is free, or checks again for room after a poll interval.
func (l *loop) arm(rateWait time.Duration) {
	var wait time.Duration
	switch {
	case !l.want:
		wait = time.Until(l.nextPoll)
	case !l.room():
		wait = l.e.opts.PollInterval
	default:
		wait = time.Hour
	}
	if rateWait > 0 {
		wait = min(wait, rateWait)
	}
	l.timer.Reset(max(wait, time.Millisecond))
}

// tick polls when the poll interval has passed and sweeps idle lanes.
func (l *loop) tick() {
	now := time.Now()
	if now.Before(l.nextPoll) {
		return // woken for a rate limit: the next pump handles it
	}
	l.want = true
	for id, ln := range l.lanes {
		if ln.idle(now.Add(-laneIdleTTL)) {
			delete(l.lanes, id)
		}
	}
}

// pump starts every queued job that its lane and the worker limit allow, one
// per lane per round so that no destination takes all free workers. It returns
// how long until a rate-limited lane may send again (0 if none is waiting).
func (l *loop) pump() (rateWait time.Duration) {
	clock, real := l.e.opts.Now(), time.Now()
	for l.inflight < l.e.opts.Workers && len(l.busy) > 0 {
		started := false
		for ln := range l.busy {
			if l.inflight >= l.e.opts.Workers {
				break
			}
			j, w, dropped := ln.next(clock, real, l.minRun)
			l.queued -= dropped
			if w > 0 && (rateWait == 0 || w < rateWait) {
				rateWait = w
			}
			if len(ln.queue) == 0 {
				delete(l.busy, ln)
			}
			if j != nil {
				l.start(j, clock)
				started = true
			}
		}
		if !started {
			break
		}
	}
	return rateWait
}

// minRun is the least lease a job must have left to start: its whole timeout,
// or half the lease for timeouts longer than that.
func (l *loop) minRun(j *job) time.Duration {
	return min(destTimeout(j.dest), l.e.opts.Lease/2)
}

// start hands j to a worker, its timeout cut so the request ends before the
// lease does.
func (l *loop) start(j *job, clock time.Time) {
	l.inflight++
	l.queued--
	timeout := min(destTimeout(j.dest), j.deadline.Sub(clock))
	l.sends <- send{j, timeout}
}

// send is a job handed to a worker, with its timeout.
type send struct {
	j       *job
	timeout time.Duration
}

// work sends what it is handed until sends is closed. The workers live as
// long as the engine, so an attempt does not start a goroutine (and grow its
// stack through the HTTP client) each time.
func (e *Engine) work(ctx context.Context, sends <-chan send) {
	for s := range sends {
		e.send(ctx, s.j, s.timeout)
	}
}

// finish frees the worker and lane slot of a job whose result is handed on.
func (l *loop) finish(j *job) {
	l.inflight--
	j.lane.done(j, time.Now())
	if len(j.lane.queue) > 0 {
		l.busy[j.lane] = struct{}{}
	}
}

// enqueue queues a claimed job on its destination's lane, unless the lane
// already holds more than it can start before the job's lease runs out: such a
// job is left to its lease and claimed again when it expires. This is what lets
// the engine claim past a slow destination's backlog to reach the others,
// without holding in memory work that could not be done in time anyway.
func (l *loop) enqueue(j *job) {
	real := time.Now()
	ln, ok := l.lanes[j.dest.ID]
	if !ok {
		ln = newLane(j.dest, real)
		l.lanes[j.dest.ID] = ln
	} else if ln.dest != j.dest {
		ln.update(j.dest, real)
	}
	if len(ln.queue) >= ln.capacity(real, l.e.opts.Lease/2) {
		return
	}
	j.lane = ln
	ln.queue = append(ln.queue, j)
	l.queued++
	l.busy[ln] = struct{}{}
}

// maxQueued bounds the jobs held in memory waiting for their lanes.
func (l *loop) maxQueued() int {
	return max(16*l.e.opts.BatchSize, 4*l.e.opts.Workers)
}

// dropQueued forgets jobs not yet started; their leases bring them back.
func (l *loop) dropQueued() {
	for ln := range l.busy {
		clear(ln.queue)
		ln.queue = nil
	}
	clear(l.busy)
	l.queued = 0
}

// destTimeout is the destination's request timeout.
func destTimeout(d *hookhub.Destination) time.Duration {
	if d.TimeoutSec > 0 {
		return time.Duration(d.TimeoutSec) * time.Second
	}
	return hookhub.DefaultTimeoutSec * time.Second
}
