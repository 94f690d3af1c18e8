package retry

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds on a receiver's Retry-After. The floor keeps a "0" or a past date
// from making a retry storm; the ceiling keeps one receiver from parking a
// delivery for days when the schedule would try sooner.
const (
	MinRetryAfter = time.Second
	MaxRetryAfter = time.Hour
)

// RetryAfter parses the Retry-After header (delay-seconds or an HTTP-date,
// RFC 9110 §10.2.3) relative to now, clamped to [MinRetryAfter,
// MaxRetryAfter]. It reports false when the header is missing or malformed.
// Callers consult it on 429 and 503 responses.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	d, ok := parseRetryAfter(v, now)
	if !ok {
		return 0, false
	}
	return min(max(d, MinRetryAfter), MaxRetryAfter), true
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			// All digits but too many of them: far in the future.
			return MaxRetryAfter, isDigits(v)
		}
		if secs > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return t.Sub(now), true
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
