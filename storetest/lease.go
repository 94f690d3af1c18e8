package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var leaseTests = []test{
	{"CompleteOnlyByLeaseHolder", testCompleteOnlyByLeaseHolder},
	{"CompleteAfterFinishIsStale", testCompleteAfterFinishIsStale},
	{"CompleteAnnounces", testCompleteAnnounces},
}

// testCompleteOnlyByLeaseHolder: a worker whose lease expired and whose
// delivery another worker claimed cannot record its result, before or after
// the new holder's; only the holder's counts, once.
func testCompleteOnlyByLeaseHolder(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	id := ds[0].ID
	first := claimOne(t, s, t0, time.Minute)
	second := claimOne(t, s, t0.Add(time.Minute), time.Minute) // the first lease expired
	if first.LeaseToken == "" || first.LeaseToken == second.LeaseToken {
		t.Fatalf("lease tokens %q and %q: want two different tokens", first.LeaseToken, second.LeaseToken)
	}

	late := &hookhub.AttemptResult{Attempt: fullAttempt(id, 1, t0), Status: hookhub.DeliveryFailed,
		LastError: "late", LeaseToken: first.LeaseToken}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{late}))
	equal(t, "late result is stale", late.Stale, true)
	d := delivery(t, s, id)
	equal(t, "delivery after the late result", [3]any{d.Status, d.AttemptCount, d.LastError}, [3]any{hookhub.DeliveryPending, 0, ""})
	equal(t, "failures counted for a stale result", failures(t, s, dst.ID), 0)

	ok := &hookhub.AttemptResult{Attempt: fullAttempt(id, 1, t0.Add(time.Minute)), Status: hookhub.DeliverySucceeded,
		LeaseToken: second.LeaseToken}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{ok}))
	equal(t, "holder's result is stale", ok.Stale, false)

	// The holder's result arriving twice, and the old worker's after it:
	// neither undoes the success.
	again := &hookhub.AttemptResult{Attempt: fullAttempt(id, 0, t0.Add(time.Minute)), Status: hookhub.DeliveryPending,
		NextAttemptAt: t0.Add(time.Hour), LeaseToken: second.LeaseToken}
	later := &hookhub.AttemptResult{Attempt: fullAttempt(id, 0, t0), Status: hookhub.DeliveryFailed, LeaseToken: first.LeaseToken}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{again, later}))
	equal(t, "stale after success", [2]bool{again.Stale, later.Stale}, [2]bool{true, true})
	d = delivery(t, s, id)
	equal(t, "delivery after late results", [3]any{d.Status, d.AttemptCount, d.LeaseToken}, [3]any{hookhub.DeliverySucceeded, 1, ""})
	attempts, err := s.ListAttempts(ctx(t), id)
	must(t, err)
	equal(t, "attempts recorded", len(attempts), 1)
	equal(t, "claim after success", claimedIDs(t, s, t0.Add(2*time.Hour), time.Minute, 10), []string(nil))
}

// testCompleteAfterFinishIsStale: a delivery sent without a claim (a test
// send) is recorded once; a second result for it, once it has finished, is
// stale, and so is a result in a batch whose other results count.
func testCompleteAfterFinishIsStale(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID, dst.ID)
	done := &hookhub.AttemptResult{Attempt: fullAttempt(ds[0].ID, 1, t0), Status: hookhub.DeliverySucceeded}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{done}))
	equal(t, "first result is stale", done.Stale, false)

	repeat := &hookhub.AttemptResult{Attempt: fullAttempt(ds[0].ID, 0, t0), Status: hookhub.DeliveryPending,
		NextAttemptAt: t0.Add(time.Minute), LastError: "503"}
	other := &hookhub.AttemptResult{Attempt: fullAttempt(ds[1].ID, 0, t0), Status: hookhub.DeliveryPending,
		NextAttemptAt: t0.Add(time.Minute), LastError: "503"}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{repeat, other}))
	equal(t, "stale", [2]bool{repeat.Stale, other.Stale}, [2]bool{true, false})
	equal(t, "finished delivery status", delivery(t, s, ds[0].ID).Status, hookhub.DeliverySucceeded)
	equal(t, "other delivery attempts", delivery(t, s, ds[1].ID).AttemptCount, 1)
}

// testCompleteAnnounces: the event a result announces is stored with it,
// deliveries included, when the result counts, and not when it is stale.
func testCompleteAnnounces(t *testing.T, s hookhub.Store) {
	src, dst, alerts := newSource(t, s), newDestination(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	claimed := claimOne(t, s, t0, time.Minute)
	announcement := func() *hookhub.NewEvent {
		ev := newEvent("", t0)
		ev.Type = "delivery.failed"
		return &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(alerts.ID, t0)}}
	}
	stale, counted := announcement(), announcement()
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: fullAttempt(ds[0].ID, 1, t0),
		Status: hookhub.DeliveryFailed, LeaseToken: "not-the-lease", Announce: stale}}))
	_, err := s.GetEvent(ctx(t), stale.Event.ID)
	wantCode(t, err, hookhub.ENOTFOUND)

	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{Attempt: fullAttempt(ds[0].ID, 1, t0),
		Status: hookhub.DeliveryFailed, LeaseToken: claimed.LeaseToken, Announce: counted}}))
	got, err := s.GetEvent(ctx(t), counted.Event.ID)
	must(t, err)
	equal(t, "announced type", got.Type, "delivery.failed")
	equal(t, "announcement's delivery queued", claimedIDs(t, s, t0, time.Minute, 10), []string{counted.Deliveries[0].ID})
}
