package webhook

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub/retry"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	retryAfter := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	tests := []struct {
		name    string
		ans     answer
		errText string
		outcome retry.Outcome
		reason  string
		after   time.Duration
	}{
		{"2xx succeeds", answer{status: 204}, "", retry.Success, "", 0},
		{"500 retries", answer{status: 500}, "", retry.Retry, "receiver answered 500 Internal Server Error", 0},
		{"302 is retried", answer{status: 302}, "", retry.Retry, "receiver answered 302 Found", 0},
		{"410 disables", answer{status: 410}, "", retry.Disable, GoneReason, 0},
		{"network error retries", answer{err: errors.New("reset")}, "connection reset", retry.Retry, "connection reset", 0},
		{"no answer at all", answer{err: errors.New("x")}, "", retry.Retry, "no response", 0},
		{"429 asks to wait", answer{status: 429, headers: retryAfter("120")}, "", retry.Retry, "receiver answered 429 Too Many Requests", 120 * time.Second},
		{"503 asks to wait", answer{status: 503, headers: retryAfter("2")}, "", retry.Retry, "receiver answered 503 Service Unavailable", 2 * time.Second},
		{"500 Retry-After ignored", answer{status: 500, headers: retryAfter("120")}, "", retry.Retry, "receiver answered 500 Internal Server Error", 0},
		{"429 Retry-After capped", answer{status: 429, headers: retryAfter("999999")}, "", retry.Retry, "receiver answered 429 Too Many Requests", time.Hour},
	}
	for _, tt := range tests {
		o, reason, after := judge(tt.ans, tt.errText, now)
		if o != tt.outcome || reason != tt.reason || after != tt.after {
			t.Errorf("%s: judge = %v, %q, %v; want %v, %q, %v", tt.name, o, reason, after, tt.outcome, tt.reason, tt.after)
		}
	}
}
