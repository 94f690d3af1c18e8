package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var attemptTests = []test{
	{"CompleteSucceeded", testCompleteSucceeded},
	{"CompleteRetryLater", testCompleteRetryLater},
	{"CompleteFailed", testCompleteFailed},
	{"CompleteMissingDelivery", testCompleteMissingDelivery},
	{"CompleteLimitsAttempt", testCompleteLimitsAttempt},
	{"ConsecutiveFailures", testConsecutiveFailures},
	{"ConsecutiveFailuresInOneBatch", testConsecutiveFailuresInOneBatch},
}

func delivery(t *testing.T, s hookhub.Store, id string) *hookhub.Delivery {
	t.Helper()
	d, err := s.GetDelivery(ctx(t), id)
	must(t, err)
	return d
}

func testCompleteSucceeded(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	token := claimOne(t, s, t0, time.Minute).LeaseToken
	a := fullAttempt(ds[0].ID, 1, t0.Add(time.Second))
	allSet(t, a)
	a.StatusCode = 200
	r := &hookhub.AttemptResult{Attempt: a, Status: hookhub.DeliverySucceeded, LeaseToken: token}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{r}))
	equal(t, "stale", r.Stale, false)

	got := delivery(t, s, ds[0].ID)
	if got.Status != hookhub.DeliverySucceeded || got.AttemptCount != 1 || got.LastError != "" {
		t.Fatalf("delivery after success: %+v", got)
	}
	attempts, err := s.ListAttempts(ctx(t), ds[0].ID)
	must(t, err)
	if len(attempts) != 1 {
		t.Fatalf("%d attempts, want 1", len(attempts))
	}
	equal(t, "attempt", attempts[0], &a)
}

func testCompleteRetryLater(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	id := ds[0].ID
	token := claimOne(t, s, t0, time.Hour).LeaseToken
	retryAt := t0.Add(30 * time.Second)
	first := fullAttempt(id, 0, t0) // the store numbers attempts left at 0
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: first, Status: hookhub.DeliveryPending,
		NextAttemptAt: retryAt, LastError: "503 Service Unavailable", LeaseToken: token}}))

	got := delivery(t, s, id)
	if got.Status != hookhub.DeliveryPending || got.AttemptCount != 1 || !got.NextAttemptAt.Equal(retryAt) ||
		got.Trigger != hookhub.TriggerRetry || got.LastError != "503 Service Unavailable" {
		t.Fatalf("delivery after a retryable failure: %+v", got)
	}
	// The lease is released: the retry is claimable when due, though the
	// claim's hour-long lease has not run out.
	equal(t, "claim before the retry is due", claimedIDs(t, s, retryAt.Add(-time.Second), time.Hour, 1), []string(nil))
	token = claimOne(t, s, retryAt, time.Hour).LeaseToken

	second := fullAttempt(id, 0, retryAt)
	second.Trigger = hookhub.TriggerRetry
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: second, Status: hookhub.DeliverySucceeded,
		LeaseToken: token}}))
	attempts, err := s.ListAttempts(ctx(t), id)
	must(t, err)
	if len(attempts) != 2 || attempts[0].Number != 2 || attempts[1].Number != 1 || attempts[0].ID != second.ID {
		t.Fatalf("attempts, newest first: %+v", attempts)
	}
	if d := delivery(t, s, id); d.AttemptCount != 2 || d.Status != hookhub.DeliverySucceeded {
		t.Fatalf("delivery after the retry: %+v", d)
	}
}

func testCompleteFailed(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: fullAttempt(ds[0].ID, 1, t0),
		Status: hookhub.DeliveryFailed, LastError: "gave up"}}))
	got := delivery(t, s, ds[0].ID)
	if got.Status != hookhub.DeliveryFailed || got.LastError != "gave up" || got.AttemptCount != 1 {
		t.Fatalf("delivery after giving up: %+v", got)
	}
	equal(t, "claim after failure", claimedIDs(t, s, t0.Add(time.Hour), time.Minute, 10), []string(nil))
}

// testCompleteMissingDelivery: a delivery pruned while its attempt ran is
// skipped; the rest of the batch is recorded.
func testCompleteMissingDelivery(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{
		{Attempt: fullAttempt("dlv_gone", 1, t0), Status: hookhub.DeliverySucceeded},
		{Attempt: fullAttempt(ds[0].ID, 1, t0), Status: hookhub.DeliverySucceeded},
	}))
	if got := delivery(t, s, ds[0].ID); got.Status != hookhub.DeliverySucceeded {
		t.Fatalf("status %q, want succeeded", got.Status)
	}
	attempts, err := s.ListAttempts(ctx(t), "dlv_gone")
	must(t, err)
	if len(attempts) != 0 {
		t.Fatalf("%d attempts stored for a missing delivery", len(attempts))
	}
}

func failures(t *testing.T, s hookhub.Store, id string) int {
	t.Helper()
	d, err := s.GetDestination(ctx(t), id)
	must(t, err)
	return d.ConsecutiveFailures
}

func complete(t *testing.T, s hookhub.Store, deliveryID, status string) {
	t.Helper()
	r := &hookhub.AttemptResult{Attempt: fullAttempt(deliveryID, 0, t0), Status: status}
	if status == hookhub.DeliveryPending {
		r.NextAttemptAt = t0.Add(time.Minute)
	}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{r}))
}

func testConsecutiveFailures(t *testing.T, s hookhub.Store) {
	src, dst, other := newSource(t, s), newDestination(t, s), newDestination(t, s)
	var ids []string
	for range 5 {
		_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID, other.ID)
		ids = append(ids, ds[0].ID)
	}
	steps := []struct {
		status string
		want   int
	}{
		{hookhub.DeliveryFailed, 1},
		{hookhub.DeliveryPending, 1}, // a retry still to come is not a failed delivery
		{hookhub.DeliveryFailed, 2},
		{hookhub.DeliverySucceeded, 0},
		{hookhub.DeliveryFailed, 1},
	}
	for i, step := range steps {
		complete(t, s, ids[i], step.status)
		if got := failures(t, s, dst.ID); got != step.want {
			t.Fatalf("after step %d (%s): %d consecutive failures, want %d", i, step.status, got, step.want)
		}
	}
	if got := failures(t, s, other.ID); got != 0 {
		t.Fatalf("another destination counts %d failures", got)
	}
}

func testConsecutiveFailuresInOneBatch(t *testing.T, s hookhub.Store) {
	src, a, b := newSource(t, s), newDestination(t, s), newDestination(t, s)
	var results []*hookhub.AttemptResult
	for _, step := range []struct{ dst, status string }{
		{a.ID, hookhub.DeliveryFailed}, {b.ID, hookhub.DeliveryFailed}, {a.ID, hookhub.DeliverySucceeded},
		{a.ID, hookhub.DeliveryFailed}, {b.ID, hookhub.DeliveryFailed}, {a.ID, hookhub.DeliveryFailed},
	} {
		_, ds := saveWithDeliveries(t, s, src.ID, t0, step.dst)
		results = append(results, &hookhub.AttemptResult{Attempt: fullAttempt(ds[0].ID, 1, t0), Status: step.status})
	}
	must(t, s.CompleteAttempts(ctx(t), results))
	if got := failures(t, s, a.ID); got != 2 {
		t.Fatalf("destination a: %d consecutive failures, want 2 (after its success)", got)
	}
	if got := failures(t, s, b.ID); got != 2 {
		t.Fatalf("destination b: %d consecutive failures, want 2", got)
	}
}

// testCompleteLimitsAttempt: whatever a receiver answered, an attempt keeps
// a bounded part of its headers and body and says what was cut.
func testCompleteLimitsAttempt(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	a := fullAttempt(ds[0].ID, 1, t0)
	a.Truncated = nil
	a.ResponseHeaders = map[string][]string{"X-Huge": {strings.Repeat("h", 4<<20)}, "X-Small": {"kept"}}
	for i := range 2000 {
		a.ResponseHeaders["X-Many-"+strings.Repeat("m", i%50)+string(rune('a'+i%26))] = []string{"0123456789"}
	}
	a.ResponseBody = strings.Repeat("b", hookhub.MaxAttemptBody+100)
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: a, Status: hookhub.DeliverySucceeded}}))
	attempts, err := s.ListAttempts(ctx(t), ds[0].ID)
	must(t, err)
	got := attempts[0]
	size := 0
	for k, vs := range got.ResponseHeaders {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	if size > hookhub.MaxAttemptHeaders || size == 0 {
		t.Fatalf("kept %d bytes of response headers, want some and at most %d", size, hookhub.MaxAttemptHeaders)
	}
	equal(t, "kept body", len(got.ResponseBody), hookhub.MaxAttemptBody)
	cut := slices.Clone(got.Truncated)
	slices.Sort(cut)
	equal(t, "truncated", cut, []string{hookhub.TruncatedResponseBody, hookhub.TruncatedResponseHeaders})
	equal(t, "request headers (within the limit) kept whole", got.RequestHeaders, fullAttempt(ds[0].ID, 1, t0).RequestHeaders)
}
