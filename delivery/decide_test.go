package delivery

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	policy := hookhub.RetryPolicy{MaxRetries: 3, ScheduleSeconds: []int{10, 20}}
	failed := sender.Result{Outcome: retry.Retry, Reason: "receiver answered 500 Internal Server Error"}
	tests := []struct {
		name      string
		n         int
		res       sender.Result
		status    string
		next      time.Duration
		lastError string
		disable   bool
		exhausted bool
	}{
		{"success", 1, sender.Result{Outcome: retry.Success}, hookhub.DeliverySucceeded, 0, "", false, false},
		{"retry on schedule", 1, failed, hookhub.DeliveryPending, 10 * time.Second, failed.Reason, false, false},
		{"schedule's last entry repeats", 3, failed, hookhub.DeliveryPending, 20 * time.Second, failed.Reason, false, false},
		{"no retry left", 4, failed, hookhub.DeliveryFailed, 0, failed.Reason, false, true},
		{"disable", 1, sender.Result{Outcome: retry.Disable, Reason: "gone"}, hookhub.DeliveryFailed, 0, "gone", true, false},
		{"fail for good", 1, sender.Result{Outcome: retry.Fail, Reason: "too large"}, hookhub.DeliveryFailed, 0, "too large", false, false},
		{"error text without a reason", 1, sender.Result{Error: "connection reset"}, hookhub.DeliveryPending, 10 * time.Second, "connection reset", false, false},
		{"nothing said", 1, sender.Result{}, hookhub.DeliveryPending, 10 * time.Second, "no response", false, false},
		{"asked wait longer than schedule", 1, sender.Result{Reason: "429", RetryAfter: 2 * time.Minute}, hookhub.DeliveryPending, 2 * time.Minute, "429", false, false},
		{"asked wait shorter than schedule", 1, sender.Result{Reason: "503", RetryAfter: 2 * time.Second}, hookhub.DeliveryPending, 10 * time.Second, "503", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := decide(policy, tt.n, tt.res, now, nil)
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

func TestOrderingNote(t *testing.T) {
	t.Parallel()
	next := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ordered := &hookhub.Delivery{Ordered: true, OrderingKey: "order-7"}
	tests := []struct {
		name string
		d    *hookhub.Delivery
		v    verdict
		want string
	}{
		{"retry holds", ordered, verdict{status: hookhub.DeliveryPending, next: next},
			`ordered: later deliveries with ordering key "order-7" wait until this one succeeds or fails for good (next attempt 2026-01-02T03:04:05Z)`},
		{"final failure releases", ordered, verdict{status: hookhub.DeliveryFailed},
			`ordered: failed for good; later deliveries with ordering key "order-7" go on`},
		{"success says nothing", ordered, verdict{status: hookhub.DeliverySucceeded}, ""},
		{"unordered says nothing", &hookhub.Delivery{}, verdict{status: hookhub.DeliveryPending, next: next}, ""},
	}
	for _, tt := range tests {
		if got := orderingNote(tt.d, tt.v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := joinNote("receiver answered 500", "note"); got != "receiver answered 500; note" {
		t.Errorf("joinNote = %q", got)
	}
	if got := joinNote("", "note"); got != "note" {
		t.Errorf("joinNote of nothing = %q", got)
	}
}
