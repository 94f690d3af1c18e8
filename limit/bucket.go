// Package limit protects ingest from floods: a token bucket per source
// (Rates) and a cap on the requests and body bytes in flight at once (Gate).
// Both are in memory and per process; neither touches the store, so a flood
// is refused before it costs a database write.
package limit

import (
	"math"
	"time"
)

// Rate is a sustained rate with a burst: PerSecond tokens are added each
// second, up to Burst. A zero PerSecond means unlimited.
type Rate struct {
	PerSecond float64
	Burst     int
}

// burst is the bucket's size: Burst, or one second's worth (at least one).
func (r Rate) burst() float64 {
	if r.Burst > 0 {
		return float64(r.Burst)
	}
	return math.Max(1, math.Ceil(r.PerSecond))
}

// bucket is a token bucket's state.
type bucket struct {
	tokens float64
	last   time.Time
}

// take is the token bucket decision: it refills b for the time since its last
// use, spends one token if there is one, and otherwise says how long until
// there will be. A bucket seen for the first time (zero last) starts full.
func take(b bucket, r Rate, now time.Time) (next bucket, ok bool, wait time.Duration) {
	size := r.burst()
	switch {
	case b.last.IsZero():
		b.tokens = size
	case now.After(b.last):
		b.tokens = math.Min(size, b.tokens+now.Sub(b.last).Seconds()*r.PerSecond)
	}
	b.tokens = math.Min(b.tokens, size) // a lowered burst applies at once
	if now.After(b.last) {
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return b, true, 0
	}
	need := (1 - b.tokens) / r.PerSecond
	return b, false, time.Duration(math.Ceil(need * float64(time.Second)))
}

// full reports whether b, at now, holds as many tokens as a fresh bucket, so
// forgetting it changes nothing.
func full(b bucket, r Rate, now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*r.PerSecond >= r.burst()
}
