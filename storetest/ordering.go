package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var orderingTests = []test{
	{"OrderedOneAtATimeInOrder", testOrderedOneAtATime},
	{"OrderedLeaseBlocksResend", testOrderedLeaseBlocksResend},
	{"OrderedHeldAndExpired", testOrderedHeldAndExpired},
	{"OrderedConcurrentClaimers", testOrderedConcurrentClaimers},
}

// saveOrdered stores one event per key, in order, each with an ordered
// delivery to dst under that key ("" keys give an unordered delivery), due
// at at.
func saveOrdered(t *testing.T, s hookhub.Store, srcID, dstID string, at time.Time, keys ...string) []*hookhub.Delivery {
	t.Helper()
	var out []*hookhub.Delivery
	for _, k := range keys {
		d := deliveryTo(dstID, at)
		if k != "-" {
			d.Ordered, d.OrderingKey = true, k
		}
		ev := newEvent(srcID, at)
		d.EventID = ev.ID
		must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{d}}}))
		out = append(out, d)
	}
	return out
}

// finish records the holder's result for a claimed delivery.
func finish(t *testing.T, s hookhub.Store, d *hookhub.Delivery, status string, next time.Time) {
	t.Helper()
	r := &hookhub.AttemptResult{Attempt: fullAttempt(d.ID, d.AttemptCount+1, t0), Status: status,
		NextAttemptAt: next, LeaseToken: d.LeaseToken}
	must(t, s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{r}))
	if r.Stale {
		t.Fatalf("result for %s is stale", d.ID)
	}
}

func claimMap(t *testing.T, s hookhub.Store, now time.Time) map[string]*hookhub.Delivery {
	t.Helper()
	ds, err := s.ClaimDeliveries(ctx(t), now, time.Minute, 100)
	must(t, err)
	m := map[string]*hookhub.Delivery{}
	for _, d := range ds {
		m[d.ID] = d
	}
	return m
}

func ids(m map[string]*hookhub.Delivery) []string {
	var out []string
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func sorted(ds ...*hookhub.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID)
	}
	slices.Sort(out)
	return out
}

// testOrderedOneAtATime: per key only the earliest pending delivery is
// claimed, never while one is out; a retry waiting on its schedule holds
// the ones behind it, a delivery that fails for good releases them; keys
// and unordered deliveries do not wait for each other.
func testOrderedOneAtATime(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ds := saveOrdered(t, s, src.ID, dst.ID, t0, "a", "b", "a", "-", "a", "b")
	a1, b1, a2, u, a3, b2 := ds[0], ds[1], ds[2], ds[3], ds[4], ds[5]
	got := claimMap(t, s, t0)
	equal(t, "first claim", ids(got), sorted(a1, b1, u))
	unordered := got[u.ID]
	if d := delivery(t, s, a2.ID); !d.Ordered || d.OrderingKey != "a" {
		t.Fatalf("ordered delivery read back as %+v", d)
	}
	equal(t, "claim while the heads are out", ids(claimMap(t, s, t0)), []string(nil))

	finish(t, s, got[a1.ID], hookhub.DeliverySucceeded, time.Time{})
	finish(t, s, got[b1.ID], hookhub.DeliveryPending, t0.Add(time.Minute))
	got = claimMap(t, s, t0)
	equal(t, "after a1 succeeded and b1 waits to retry", ids(got), sorted(a2))

	finish(t, s, got[a2.ID], hookhub.DeliveryFailed, time.Time{})
	got = claimMap(t, s, t0)
	equal(t, "a2 failed for good: a3 goes", ids(got), sorted(a3))
	finish(t, s, got[a3.ID], hookhub.DeliverySucceeded, time.Time{})
	finish(t, s, unordered, hookhub.DeliverySucceeded, time.Time{})
	got2 := claimMap(t, s, t0.Add(time.Minute))
	equal(t, "b1's retry is due, b2 still behind it", ids(got2), sorted(b1))
	finish(t, s, got2[b1.ID], hookhub.DeliverySucceeded, time.Time{})
	equal(t, "b2 after b1", ids(claimMap(t, s, t0.Add(time.Minute))), sorted(b2))
}

// testOrderedLeaseBlocksResend: a resent delivery goes before the later
// ones of its key, but not while one of them is out.
func testOrderedLeaseBlocksResend(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ds := saveOrdered(t, s, src.ID, dst.ID, t0, "k", "k", "k")
	c := claimMap(t, s, t0)
	finish(t, s, c[ds[0].ID], hookhub.DeliverySucceeded, time.Time{})
	out := claimMap(t, s, t0)[ds[1].ID]
	if out == nil {
		t.Fatal("second delivery not claimed")
	}
	_, err := s.RequeueDelivery(ctx(t), ds[0].ID, hookhub.TriggerManual, t0)
	must(t, err)
	equal(t, "resend while the second is out", ids(claimMap(t, s, t0)), []string(nil))
	finish(t, s, out, hookhub.DeliverySucceeded, time.Time{})
	equal(t, "the resend goes before the third", ids(claimMap(t, s, t0)), sorted(ds[0]))
}

// testOrderedHeldAndExpired: held deliveries hold their key; an expired
// lease frees its delivery, not the ones behind it.
func testOrderedHeldAndExpired(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ds := saveOrdered(t, s, src.ID, dst.ID, t0, "k", "k")
	_, err := s.PauseDestination(ctx(t), dst.ID, true, t0)
	must(t, err)
	equal(t, "claim while paused", ids(claimMap(t, s, t0)), []string(nil))
	_, err = s.PauseDestination(ctx(t), dst.ID, false, t0)
	must(t, err)
	equal(t, "claim after resume", ids(claimMap(t, s, t0)), sorted(ds[0]))
	// The claimer died: once its lease expires the head is claimed again,
	// and still alone.
	equal(t, "claim after the lease expired", ids(claimMap(t, s, t0.Add(time.Minute))), sorted(ds[0]))
}

// testOrderedConcurrentClaimers runs claimers in parallel on many keys:
// at no moment are two deliveries of one key out at once, and each key's
// deliveries succeed in the order they were stored.
func testOrderedConcurrentClaimers(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	var keys []string
	for i := range 120 {
		keys = append(keys, string(rune('a'+i%6)))
	}
	ds := saveOrdered(t, s, src.ID, dst.ID, t0, keys...)
	keyOf, seq := map[string]string{}, map[string]int{}
	for i, d := range ds {
		keyOf[d.ID], seq[d.ID] = d.OrderingKey, i
	}
	var mu sync.Mutex
	out := map[string]string{} // key → delivery out
	done := map[string][]int{} // key → positions in success order
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 400 {
				claimed, err := s.ClaimDeliveries(ctx(t), t0, time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				for _, d := range claimed {
					mu.Lock()
					if other, busy := out[keyOf[d.ID]]; busy {
						t.Errorf("key %s: %s claimed while %s is out", keyOf[d.ID], d.ID, other)
					}
					out[keyOf[d.ID]] = d.ID
					mu.Unlock()
				}
				for _, d := range claimed {
					mu.Lock()
					delete(out, keyOf[d.ID])
					done[keyOf[d.ID]] = append(done[keyOf[d.ID]], seq[d.ID])
					mu.Unlock()
					r := &hookhub.AttemptResult{Attempt: fullAttempt(d.ID, 1, t0), Status: hookhub.DeliverySucceeded, LeaseToken: d.LeaseToken}
					if err := s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{r}); err != nil {
						t.Error(err)
						return
					}
				}
				mu.Lock()
				n := 0
				for _, v := range done {
					n += len(v)
				}
				mu.Unlock()
				if n == len(ds) {
					return
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for k, order := range done {
		total += len(order)
		if !slices.IsSorted(order) {
			t.Errorf("key %s succeeded out of order: %v", k, order)
		}
	}
	equal(t, "deliveries done", total, len(ds))
}
