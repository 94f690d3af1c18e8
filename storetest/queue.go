package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var queueTests = []test{
	{"ClaimDue", testClaimDue},
	{"ClaimLease", testClaimLease},
	{"ClaimOrderAndLimit", testClaimOrderAndLimit},
	{"ClaimConcurrent", testClaimConcurrent},
	{"ListDeliveries", testListDeliveries},
	{"PauseHoldsDeliveries", testPauseHoldsDeliveries},
	{"HoldClaimedDelivery", testHoldClaimedDelivery},
	{"PauseDeepQueue", testPauseDeepQueue},
	{"ReleaseHeldLeftovers", testReleaseHeldLeftovers},
}

func claimedIDs(t *testing.T, s hookhub.Store, now time.Time, lease time.Duration, limit int) []string {
	t.Helper()
	ds, err := s.ClaimDeliveries(ctx(t), now, lease, limit)
	must(t, err)
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}

// claimOne claims and returns the one delivery due at now.
func claimOne(t *testing.T, s hookhub.Store, now time.Time, lease time.Duration) *hookhub.Delivery {
	t.Helper()
	ds, err := s.ClaimDeliveries(ctx(t), now, lease, 10)
	must(t, err)
	if len(ds) != 1 {
		t.Fatalf("claimed %d deliveries, want 1", len(ds))
	}
	return ds[0]
}

func testClaimDue(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, now := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	_, later := saveWithDeliveries(t, s, src.ID, t0.Add(time.Minute), dst.ID)

	ds, err := s.ClaimDeliveries(ctx(t), t0, time.Hour, 10)
	must(t, err)
	if len(ds) != 1 {
		t.Fatalf("claimed %d at t0, want only the due one", len(ds))
	}
	if ds[0].LeaseToken == "" {
		t.Fatal("claimed delivery has no lease token")
	}
	claimed := *ds[0]
	claimed.LeaseToken = ""
	equal(t, "claimed delivery", &claimed, now[0])
	equal(t, "claim at due time", claimedIDs(t, s, t0.Add(time.Minute), time.Minute, 10), []string{later[0].ID})
	if n := len(claimedIDs(t, s, t0.Add(time.Minute), time.Minute, 0)); n != 0 {
		t.Fatalf("limit 0 claimed %d", n)
	}
}

func testClaimLease(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	want := []string{ds[0].ID}
	equal(t, "first claim", claimedIDs(t, s, t0, time.Minute, 10), want)
	equal(t, "claim while leased", claimedIDs(t, s, t0.Add(59*time.Second), time.Minute, 10), []string(nil))
	// A worker that died leaves the lease to expire; then another takes over.
	token := claimOne(t, s, t0.Add(time.Minute), time.Minute).LeaseToken

	// Finished deliveries are never claimed again.
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{
		Attempt: fullAttempt(ds[0].ID, 1, t0.Add(time.Minute)), Status: hookhub.DeliverySucceeded, LeaseToken: token}}))
	equal(t, "claim after success", claimedIDs(t, s, t0.Add(time.Hour), time.Minute, 10), []string(nil))
}

func testClaimOrderAndLimit(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	var want []string
	// Saved latest-due first, so that claim order cannot come from insertion order.
	for i := 5; i >= 1; i-- {
		_, ds := saveWithDeliveries(t, s, src.ID, t0.Add(time.Duration(i)*time.Second), dst.ID)
		want = append([]string{ds[0].ID}, want...)
	}
	now := t0.Add(time.Hour)
	equal(t, "first claim, earliest due first", claimedIDs(t, s, now, time.Minute, 2), want[:2])
	equal(t, "second claim", claimedIDs(t, s, now, time.Minute, 2), want[2:4])
	equal(t, "third claim", claimedIDs(t, s, now, time.Minute, 2), want[4:])
}

// testClaimConcurrent has workers claim in parallel until the queue is empty:
// every delivery must be handed out exactly once.
func testClaimConcurrent(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	const events, workers = 150, 6
	var batch []*hookhub.NewEvent
	for range events {
		batch = append(batch, &hookhub.NewEvent{Event: newEvent(src.ID, t0),
			Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)}})
	}
	must(t, s.SaveEvents(ctx(t), batch))

	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				ds, err := s.ClaimDeliveries(ctx(t), t0.Add(time.Second), time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					seen[d.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != events {
		t.Fatalf("%d distinct deliveries claimed, want %d", len(seen), events)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("delivery %s was claimed %d times", id, n)
		}
	}
}

func testListDeliveries(t *testing.T, s hookhub.Store) {
	src, a, b := newSource(t, s), newDestination(t, s), newDestination(t, s)
	var all, toA, window []string
	var failed []*hookhub.AttemptResult
	for i := range 6 {
		at := t0.Add(time.Duration(i) * time.Minute)
		_, ds := saveWithDeliveries(t, s, src.ID, at, a.ID, b.ID)
		all = append(all, ds[0].ID, ds[1].ID)
		toA = append(toA, ds[0].ID)
		if i >= 2 && i < 4 {
			window = append(window, ds[0].ID, ds[1].ID)
		}
		if i%2 == 0 {
			failed = append(failed, &hookhub.AttemptResult{Attempt: fullAttempt(ds[1].ID, 1, at), Status: hookhub.DeliveryFailed})
		}
	}
	must(t, s.CompleteAttempts(ctx(t), failed))
	var failedIDs []string
	for _, r := range failed {
		failedIDs = append(failedIDs, r.Attempt.DeliveryID)
	}
	for _, tc := range []struct {
		name string
		f    hookhub.DeliveryFilter
		want []string
	}{
		{"all", hookhub.DeliveryFilter{}, all},
		{"destination", hookhub.DeliveryFilter{DestinationID: a.ID}, toA},
		{"status", hookhub.DeliveryFilter{Status: hookhub.DeliveryFailed}, failedIDs},
		{"since inclusive, until exclusive", hookhub.DeliveryFilter{Since: t0.Add(2 * time.Minute), Until: t0.Add(4 * time.Minute)}, window},
	} {
		got := pageAll(t, 4, func(p hookhub.Page) ([]string, string, error) {
			f := tc.f
			f.Page = p
			list, next, err := s.ListDeliveries(ctx(t), f)
			out := make([]string, len(list))
			for i, x := range list {
				out[i] = x.ID
			}
			return out, next, err
		})
		equal(t, tc.name, got, newest(tc.want))
	}
	_, err := s.GetDelivery(ctx(t), "dlv_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
}

// testPauseHoldsDeliveries: pausing a destination keeps its pending deliveries
// out of claims (but not other destinations'), deliveries created held stay
// out too, and resuming releases them all with their due times intact.
func testPauseHoldsDeliveries(t *testing.T, s hookhub.Store) {
	src, paused, other := newSource(t, s), newDestination(t, s), newDestination(t, s)
	_, done := saveWithDeliveries(t, s, src.ID, t0, paused.ID)
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{
		Attempt: fullAttempt(done[0].ID, 1, t0), Status: hookhub.DeliverySucceeded}}))
	_, first := saveWithDeliveries(t, s, src.ID, t0, paused.ID, other.ID)

	n, err := s.PauseDestination(ctx(t), paused.ID, true, t0)
	must(t, err)
	equal(t, "deliveries held by the pause (the succeeded one is not)", n, int64(1))
	got, err := s.GetDestination(ctx(t), paused.ID)
	must(t, err)
	equal(t, "paused after pause", got.Paused, true)

	// The router creates deliveries to a paused destination held.
	ev := newEvent(src.ID, t0)
	late := deliveryTo(paused.ID, t0)
	late.Held = true
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{late}}}))

	equal(t, "claim while paused", claimedIDs(t, s, t0.Add(time.Hour), time.Minute, 10), []string{first[1].ID})
	d, err := s.GetDelivery(ctx(t), first[0].ID)
	must(t, err)
	equal(t, "held delivery status", [2]any{d.Status, d.Held}, [2]any{hookhub.DeliveryPending, true})

	n, err = s.PauseDestination(ctx(t), paused.ID, false, t0.Add(time.Minute))
	must(t, err)
	equal(t, "deliveries released by the resume", n, int64(2))
	got, err = s.GetDestination(ctx(t), paused.ID)
	must(t, err)
	equal(t, "paused after resume", got.Paused, false)
	claimed, err := s.ClaimDeliveries(ctx(t), t0.Add(time.Hour), time.Minute, 10)
	must(t, err)
	var ids []string
	for _, c := range claimed {
		ids = append(ids, c.ID)
		if c.Held || !c.NextAttemptAt.Equal(t0) {
			t.Errorf("released delivery %s: held %v, due %v; want not held, due %v", c.ID, c.Held, c.NextAttemptAt, t0)
		}
	}
	slices.Sort(ids)
	want := []string{first[0].ID, late.ID}
	slices.Sort(want)
	equal(t, "claim after resume", ids, want)

	_, err = s.PauseDestination(ctx(t), "dst_missing", true, t0)
	wantCode(t, err, hookhub.ENOTFOUND)
}

// testHoldClaimedDelivery: a delivery claimed just before its destination was
// paused is held by the engine; its lease ends and it waits for the resume.
func testHoldClaimedDelivery(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	_, ds := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
	equal(t, "first claim", claimedIDs(t, s, t0, time.Hour, 10), []string{ds[0].ID})
	_, err := s.PauseDestination(ctx(t), dst.ID, true, t0)
	must(t, err)
	must(t, s.HoldDelivery(ctx(t), ds[0].ID))
	equal(t, "claim after hold, past the lease", claimedIDs(t, s, t0.Add(2*time.Hour), time.Hour, 10), []string(nil))
	n, err := s.PauseDestination(ctx(t), dst.ID, false, t0)
	must(t, err)
	equal(t, "released", n, int64(1))
	// The lease ended with the hold, so the delivery is claimable at once.
	equal(t, "claim after resume", claimedIDs(t, s, t0, time.Hour, 10), []string{ds[0].ID})
}

// testPauseDeepQueue: a queue deeper than one pause transaction moves whole.
func testPauseDeepQueue(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	const n = 5003 // more than one chunk
	ne := &hookhub.NewEvent{Event: newEvent(src.ID, t0)}
	for range n {
		ne.Deliveries = append(ne.Deliveries, deliveryTo(dst.ID, t0))
	}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	held, err := s.PauseDestination(ctx(t), dst.ID, true, t0)
	must(t, err)
	equal(t, "held", held, int64(n))
	equal(t, "claimed while paused", len(claimedIDs(t, s, t0, time.Minute, n)), 0)
	released, err := s.PauseDestination(ctx(t), dst.ID, false, t0)
	must(t, err)
	equal(t, "released", released, int64(n))
	equal(t, "claimed after resume", len(claimedIDs(t, s, t0, time.Minute, n)), n)
}

// testReleaseHeldLeftovers: a delivery created held for a destination that
// was resumed meanwhile (routed on a stale view) is released by ReleaseHeld;
// a paused destination's are not; holding a claimed delivery of a destination
// resumed meanwhile releases it instead.
func testReleaseHeldLeftovers(t *testing.T, s hookhub.Store) {
	src, resumed, paused := newSource(t, s), newDestination(t, s), newDestination(t, s)
	_, err := s.PauseDestination(ctx(t), paused.ID, true, t0)
	must(t, err)
	stale, held := deliveryTo(resumed.ID, t0), deliveryTo(paused.ID, t0)
	stale.Held, held.Held = true, true
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: newEvent(src.ID, t0), Deliveries: []*hookhub.Delivery{stale, held}}}))
	equal(t, "claim before release", claimedIDs(t, s, t0, time.Minute, 10), []string(nil))
	n, err := s.ReleaseHeld(ctx(t))
	must(t, err)
	equal(t, "released", n, int64(1))
	equal(t, "claim after release", claimedIDs(t, s, t0, time.Minute, 10), []string{stale.ID})

	// The engine holds a claimed delivery only while its destination is paused.
	must(t, s.HoldDelivery(ctx(t), stale.ID))
	d, err := s.GetDelivery(ctx(t), stale.ID)
	must(t, err)
	equal(t, "held after HoldDelivery on a destination not paused", d.Held, false)
	equal(t, "claimable again at once", claimedIDs(t, s, t0, time.Minute, 10), []string{stale.ID})
}
