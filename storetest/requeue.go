package storetest

import (
	"sort"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var requeueTests = []test{
	{"RequeueDelivery", testRequeueDelivery},
	{"RequeueFailed", testRequeueFailed},
}

func testRequeueDelivery(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	id := ds[0].ID
	complete(t, s, id, hookhub.DeliveryFailed)

	now := t0.Add(time.Hour)
	got, err := s.RequeueDelivery(ctx(t), id, hookhub.TriggerManual, now)
	must(t, err)
	if got.Status != hookhub.DeliveryPending || got.Trigger != hookhub.TriggerManual || !got.NextAttemptAt.Equal(now) ||
		got.AttemptCount != 1 {
		t.Fatalf("requeued delivery: %+v", got)
	}
	equal(t, "stored as returned", delivery(t, s, id), got)
	equal(t, "claim after requeue", claimedIDs(t, s, now, time.Minute, 10), []string{id})

	_, err = s.RequeueDelivery(ctx(t), "dlv_missing", hookhub.TriggerManual, now)
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testRequeueFailed(t *testing.T, s hookhub.Store) {
	src, dst, other := newSource(t, s), newDestination(t, s), newDestination(t, s)
	var want []string
	for i := range 6 {
		at := t0.Add(time.Duration(i) * time.Hour)
		_, ds := saveWithDeliveries(t, s, src.ID, at, dst.ID, other.ID)
		status := hookhub.DeliveryFailed
		if i == 3 {
			status = hookhub.DeliverySucceeded
		}
		complete(t, s, ds[0].ID, status)
		complete(t, s, ds[1].ID, hookhub.DeliveryFailed)
		if i >= 1 && i < 5 && status == hookhub.DeliveryFailed {
			want = append(want, ds[0].ID)
		}
	}
	now := t0.Add(24 * time.Hour)
	n, err := s.RequeueFailed(ctx(t), dst.ID, t0.Add(time.Hour), t0.Add(5*time.Hour), now)
	must(t, err)
	if n != len(want) {
		t.Fatalf("requeued %d, want %d", n, len(want))
	}
	got := claimedIDs(t, s, now, time.Minute, 100)
	sort.Strings(got)
	sort.Strings(want)
	equal(t, "requeued deliveries", got, want)
	for _, id := range want {
		if d := delivery(t, s, id); d.Trigger != hookhub.TriggerManual || !d.NextAttemptAt.Equal(now) {
			t.Fatalf("requeued delivery: %+v", d)
		}
	}
	// Open bounds requeue the rest of the destination's failures.
	n, err = s.RequeueFailed(ctx(t), dst.ID, time.Time{}, time.Time{}, now)
	must(t, err)
	if n != 2 {
		t.Fatalf("requeued %d with open bounds, want the 2 outside the first window", n)
	}
}
