package delivery

import (
	"math"
	"time"
)

// bucket is a token bucket: rate tokens per second, holding at most burst. It is
// small enough to write here rather than add golang.org/x/time as a dependency.
// A zero-rate bucket never limits. It is not safe for concurrent use: only the
// engine's loop touches it.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// newBucket returns a full bucket for rate requests per second; the burst is one
// second's worth, at least one request.
func newBucket(rate float64, now time.Time) *bucket {
	burst := math.Max(1, math.Ceil(rate))
	return &bucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// take spends one token if there is one. Otherwise it reports how long until
// there will be.
func (b *bucket) take(now time.Time) (ok bool, wait time.Duration) {
	if b == nil || b.rate <= 0 {
		return true, 0
	}
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	need := (1 - b.tokens) / b.rate
	return false, time.Duration(math.Ceil(need * float64(time.Second)))
}

func (b *bucket) refill(now time.Time) {
	if now.After(b.last) {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

// setRate changes the rate, keeping the tokens already earned, so an edited
// destination takes its new limit without a fresh burst.
func (b *bucket) setRate(rate float64, now time.Time) {
	b.refill(now)
	b.rate = rate
	b.burst = math.Max(1, math.Ceil(rate))
	b.tokens = math.Min(b.tokens, b.burst)
}
