package delivery

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	policy := hookhub.RetryPolicy{MaxRetries: 3, ScheduleSeconds: []int{10, 20}}
	retryAfter := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	tests := []struct {
		name      string
		n         int
		ans       answer
		status    string
		next      time.Duration
		lastError string
		disable   bool
		exhausted bool
	}{
		{"2xx succeeds", 1, answer{status: 204}, hookhub.DeliverySucceeded, 0, "", false, false},
		{"500 retries on schedule", 1, answer{status: 500}, hookhub.DeliveryPending, 10 * time.Second, "receiver answered 500 Internal Server Error", false, false},
		{"schedule's last entry repeats", 3, answer{status: 500}, hookhub.DeliveryPending, 20 * time.Second, "receiver answered 500 Internal Server Error", false, false},
		{"no retry left", 4, answer{status: 500}, hookhub.DeliveryFailed, 0, "receiver answered 500 Internal Server Error", false, true},
		{"302 is retried", 1, answer{status: 302}, hookhub.DeliveryPending, 10 * time.Second, "receiver answered 302 Found", false, false},
		{"410 disables", 1, answer{status: 410}, hookhub.DeliveryFailed, 0, goneReason, true, false},
		{"network error retries", 1, answer{err: errors.New("reset")}, hookhub.DeliveryPending, 10 * time.Second, "connection reset", false, false},
		{"429 Retry-After longer than schedule", 1, answer{status: 429, headers: retryAfter("120")}, hookhub.DeliveryPending, 120 * time.Second, "receiver answered 429 Too Many Requests", false, false},
		{"503 Retry-After shorter than schedule", 1, answer{status: 503, headers: retryAfter("2")}, hookhub.DeliveryPending, 10 * time.Second, "receiver answered 503 Service Unavailable", false, false},
		{"500 Retry-After ignored", 1, answer{status: 500, headers: retryAfter("120")}, hookhub.DeliveryPending, 10 * time.Second, "receiver answered 500 Internal Server Error", false, false},
		{"429 Retry-After capped", 1, answer{status: 429, headers: retryAfter("999999")}, hookhub.DeliveryPending, time.Hour, "receiver answered 429 Too Many Requests", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errText := ""
			if tt.ans.err != nil {
				errText = "connection reset"
			}
			v := decide(policy, tt.n, tt.ans, errText, now, nil)
			if v.status != tt.status || v.lastError != tt.lastError || v.disable != tt.disable || v.exhausted != tt.exhausted {
				t.Fatalf("decide = %+v", v)
			}
			if tt.status == hookhub.DeliveryPending && v.next.Sub(now) != tt.next {
				t.Errorf("next attempt in %v, want %v", v.next.Sub(now), tt.next)
			}
		})
	}
}

func TestBucket(t *testing.T) {
	t.Parallel()
	start := time.Unix(1000, 0)
	b := newBucket(2, start)
	for i := range 2 {
		if ok, _ := b.take(start); !ok {
			t.Fatalf("take %d of the burst refused", i)
		}
	}
	ok, wait := b.take(start)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("third take = %v, %v; want refused for 500ms", ok, wait)
	}
	if ok, _ := b.take(start.Add(500 * time.Millisecond)); !ok {
		t.Fatal("take after refill refused")
	}
	if ok, _ := (*bucket)(nil).take(start); !ok {
		t.Fatal("a nil bucket must not limit")
	}
}
