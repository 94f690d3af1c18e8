package limit

import (
	"sync"
	"time"
)

// maxBuckets bounds the buckets kept; past it, buckets that have refilled
// completely are forgotten, which is the same as keeping them.
const maxBuckets = 10_000

// Rates keeps one token bucket per key (a source id). It is safe for
// concurrent use.
type Rates struct {
	mu sync.Mutex
	m  map[string]bucket
}

// NewRates returns an empty set of buckets.
func NewRates() *Rates { return &Rates{m: map[string]bucket{}} }

// Allow spends a token of key's bucket under rate r. When none is left it
// reports false and how long until one is. An unlimited rate always allows
// and keeps no state.
func (rs *Rates) Allow(key string, r Rate, now time.Time) (bool, time.Duration) {
	if r.PerSecond <= 0 {
		return true, 0
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	b, ok, wait := take(rs.m[key], r, now)
	rs.m[key] = b
	if len(rs.m) > maxBuckets {
		rs.sweep(r, now)
	}
	return ok, wait
}

// sweep forgets buckets that are full again. Each is judged by the rate of
// the call that triggered the sweep; a source with a slower rate may get a
// fresh (full) bucket a little early, never a smaller one.
func (rs *Rates) sweep(r Rate, now time.Time) {
	for k, b := range rs.m {
		if full(b, r, now) {
			delete(rs.m, k)
		}
	}
}
