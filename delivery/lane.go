package delivery

import (
	"math"
	"time"

	"github.com/hookhub/hookhub"
)

// job is one claimed delivery with what it needs to be sent.
type job struct {
	d    *hookhub.Delivery
	ev   *hookhub.Event
	dest *hookhub.Destination
	lane *lane
	// forward names the original headers to pass on, for a forwarded event.
	forward []string
	// deadline is the latest moment, on the engine's clock, at which the request
	// may still be running: the lease minus a margin for recording the result.
	deadline time.Time
}

// lane holds one destination's claimed deliveries and enforces its limits, so a
// slow or dead receiver uses only its own slots. Only the loop goroutine touches
// lanes.
type lane struct {
	id       string
	dest     *hookhub.Destination // newest copy seen
	queue    []*job
	running  map[*job]time.Time // requests in flight and when they started (real time)
	latency  time.Duration      // moving average of request durations; 0 until one ends
	bucket   *bucket
	lastUsed time.Time // real time; idle lanes are swept after a while
}

func newLane(dest *hookhub.Destination, now time.Time) *lane {
	ln := &lane{id: dest.ID, running: make(map[*job]time.Time), lastUsed: now}
	ln.update(dest, now)
	return ln
}

// update takes a newer copy of the destination, with its limits.
func (ln *lane) update(dest *hookhub.Destination, now time.Time) {
	ln.dest = dest
	switch {
	case dest.RateLimit <= 0:
		ln.bucket = nil
	case ln.bucket == nil:
		ln.bucket = newBucket(dest.RateLimit, now)
	default:
		ln.bucket.setRate(dest.RateLimit, now)
	}
}

func (ln *lane) limit() int {
	if ln.dest.MaxConcurrency > 0 {
		return ln.dest.MaxConcurrency
	}
	return hookhub.DefaultMaxConcurrency
}

// next returns a job that may start now, or nil and, when only the rate limit
// holds it back, how long until one may. Jobs whose lease no longer leaves room
// for a request are dropped and counted: they are claimed again once the lease
// expires.
func (ln *lane) next(clock, real time.Time, minRun func(*job) time.Duration) (j *job, wait time.Duration, dropped int) {
	for len(ln.queue) > 0 && ln.queue[0].deadline.Sub(clock) < minRun(ln.queue[0]) {
		ln.pop()
		dropped++
	}
	if len(ln.queue) == 0 || len(ln.running) >= ln.limit() {
		return nil, 0, dropped
	}
	if ok, w := ln.bucket.take(real); !ok {
		return nil, w, dropped
	}
	j = ln.pop()
	ln.running[j] = real
	ln.lastUsed = real
	return j, 0, dropped
}

func (ln *lane) pop() *job {
	j := ln.queue[0]
	ln.queue[0] = nil
	ln.queue = ln.queue[1:]
	return j
}

// done records the end of j's request, for the latency estimate.
func (ln *lane) done(j *job, real time.Time) {
	took := real.Sub(ln.running[j])
	delete(ln.running, j)
	if ln.latency == 0 {
		ln.latency = took
	} else {
		ln.latency = (4*ln.latency + took) / 5
	}
}

// capacity estimates how many queued jobs the lane can start within window:
// its concurrency over its latency, or its rate limit if lower. Requests still
// running count with their age so far, so a receiver that has not answered yet
// is seen to be slow before its first request ends. With nothing to go on it
// makes no estimate (MaxInt).
func (ln *lane) capacity(real time.Time, window time.Duration) int {
	lat := ln.latency
	for _, started := range ln.running {
		lat = max(lat, real.Sub(started))
	}
	rate := math.Inf(1)
	if lat > 0 {
		rate = float64(ln.limit()) / lat.Seconds()
	}
	if ln.bucket != nil {
		rate = min(rate, ln.bucket.rate)
	}
	if math.IsInf(rate, 1) {
		return math.MaxInt
	}
	return max(ln.limit(), int(rate*window.Seconds()))
}

// trim keeps at most n queued jobs, the oldest, and returns how many it dropped.
func (ln *lane) trim(n int) int {
	if len(ln.queue) <= n {
		return 0
	}
	dropped := len(ln.queue) - n
	clear(ln.queue[n:])
	ln.queue = ln.queue[:n]
	return dropped
}

// idle reports whether the lane holds nothing and has not been used since before.
func (ln *lane) idle(before time.Time) bool {
	return len(ln.queue) == 0 && len(ln.running) == 0 && ln.lastUsed.Before(before)
}
