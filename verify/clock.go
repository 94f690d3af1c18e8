package verify

import (
	"strconv"
	"time"
)

// DefaultTolerance is how far a signed timestamp may be from the server's
// clock, in either direction, when a source does not set ToleranceSec.
const DefaultTolerance = 5 * time.Minute

// maxToleranceSec bounds ToleranceSec: beyond a month the timestamp no longer
// guards against replays, and far larger values would overflow a Duration.
const maxToleranceSec = 30 * 24 * 3600

// clock checks signed timestamps against the current time, so a captured
// request cannot be replayed later.
type clock struct {
	now       func() time.Time
	tolerance time.Duration
}

func newClock(toleranceSec int, now func() time.Time) (clock, error) {
	if toleranceSec < 0 || toleranceSec > maxToleranceSec {
		return clock{}, invalid("verification.tolerance_seconds must be between 0 (default %d) and %d",
			int(DefaultTolerance.Seconds()), maxToleranceSec)
	}
	if now == nil {
		now = time.Now
	}
	tol := DefaultTolerance
	if toleranceSec > 0 {
		tol = time.Duration(toleranceSec) * time.Second
	}
	return clock{now: now, tolerance: tol}, nil
}

// check accepts t when it is within the tolerance of now, in either direction:
// a timestamp far in the future is as suspicious as one far in the past.
func (c clock) check(t time.Time) error {
	d := c.now().Sub(t)
	if d > c.tolerance || d < -c.tolerance {
		return deny(reasonStale)
	}
	return nil
}

// checkUnix checks a header holding unix seconds.
func (c clock) checkUnix(header, value string) error {
	t, ok := parseUnix(value)
	if !ok {
		return deny("invalid %s timestamp", header)
	}
	return c.check(t)
}

// checkAny checks a header holding unix seconds or an RFC 3339 time, the two
// forms senders use; the generic HMAC scheme accepts either.
func (c clock) checkAny(header, value string) error {
	if t, ok := parseUnix(value); ok {
		return c.check(t)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return deny("invalid %s timestamp", header)
	}
	return c.check(t)
}

// parseUnix reads decimal unix seconds. Values beyond a few millennia are
// refused so the conversion to time.Time cannot overflow.
func parseUnix(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
