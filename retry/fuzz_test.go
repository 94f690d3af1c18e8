package retry_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub/retry"
)

// FuzzRetryAfter checks that any header a receiver sends yields a delay
// within bounds or none at all.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "Sat, 01 Mar 2025 12:05:00 GMT", "9999999999999999999999", ""} {
		f.Add(s)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retry.RetryAfter(http.Header{"Retry-After": {v}}, now)
		if ok && (d < retry.MinRetryAfter || d > retry.MaxRetryAfter) {
			t.Errorf("RetryAfter(%q) = %v, out of bounds", v, d)
		}
		if !ok && d != 0 {
			t.Errorf("RetryAfter(%q) = %v with ok false", v, d)
		}
	})
}
