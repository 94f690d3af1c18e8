package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var dedupTests = []test{
	{"DedupDuplicate", testDedupDuplicate},
	{"DedupScopes", testDedupScopes},
	{"DedupInOneBatch", testDedupInOneBatch},
	{"DedupWindow", testDedupWindow},
	{"DedupForever", testDedupForever},
	{"DedupIgnoresRejected", testDedupIgnoresRejected},
	{"DedupConcurrent", testDedupConcurrent},
}

// keyed saves an event of src with a dedup key and a delivery to dst, received
// at at, and returns what was saved.
func keyed(t *testing.T, s hookhub.Store, src, dst, scope, key string, at time.Time, window time.Duration) *hookhub.NewEvent {
	t.Helper()
	ev := newEvent(src, at)
	ev.DedupKey = key
	ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst, at)},
		DedupScope: scope, DedupWindow: window}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	return ne
}

// wantDuplicate checks that ne was stored as a duplicate of original with no deliveries.
func wantDuplicate(t *testing.T, s hookhub.Store, ne *hookhub.NewEvent, original string) {
	t.Helper()
	if ne.Event.Status != hookhub.EventDuplicate || ne.Event.DuplicateOf != original || ne.Deliveries != nil {
		t.Fatalf("after save: status %q, duplicate of %q, %d deliveries; want duplicate of %s, none",
			ne.Event.Status, ne.Event.DuplicateOf, len(ne.Deliveries), original)
	}
	got, err := s.GetEvent(ctx(t), ne.Event.ID)
	must(t, err)
	if got.Status != hookhub.EventDuplicate || got.DuplicateOf != original {
		t.Fatalf("stored: status %q, duplicate of %q; want duplicate of %s", got.Status, got.DuplicateOf, original)
	}
	list, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ne.Event.ID})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("a duplicate has %d deliveries", len(list))
	}
}

// wantOriginal checks that ne was stored as accepted with its delivery.
func wantOriginal(t *testing.T, s hookhub.Store, ne *hookhub.NewEvent) {
	t.Helper()
	if ne.Event.Status != hookhub.EventAccepted || ne.Event.DuplicateOf != "" || len(ne.Deliveries) != 1 {
		t.Fatalf("after save: status %q, duplicate of %q, %d deliveries; want accepted with 1",
			ne.Event.Status, ne.Event.DuplicateOf, len(ne.Deliveries))
	}
	list, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ne.Event.ID})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("an accepted event has %d deliveries, want 1", len(list))
	}
}

func testDedupDuplicate(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := keyed(t, s, src.ID, dst.ID, src.ID, "gh-1", t0, time.Hour)
	wantOriginal(t, s, first)
	second := keyed(t, s, src.ID, dst.ID, src.ID, "gh-1", t0.Add(time.Minute), time.Hour)
	wantDuplicate(t, s, second, first.Event.ID)
	third := keyed(t, s, src.ID, dst.ID, src.ID, "gh-2", t0.Add(time.Minute), time.Hour)
	wantOriginal(t, s, third)
}

func testDedupScopes(t *testing.T, s hookhub.Store) {
	a, b, dst := newSource(t, s), newSource(t, s), newDestination(t, s)
	wantOriginal(t, s, keyed(t, s, a.ID, dst.ID, a.ID, "same", t0, time.Hour))
	wantOriginal(t, s, keyed(t, s, b.ID, dst.ID, b.ID, "same", t0, time.Hour))
	wantOriginal(t, s, keyed(t, s, "", dst.ID, "api", "same", t0, time.Hour))
}

func testDedupInOneBatch(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	var batch []*hookhub.NewEvent
	for range 3 {
		ev := newEvent(src.ID, t0)
		ev.DedupKey = "retry-storm"
		batch = append(batch, &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)},
			DedupScope: src.ID, DedupWindow: time.Hour})
	}
	must(t, s.SaveEvents(ctx(t), batch))
	wantOriginal(t, s, batch[0])
	wantDuplicate(t, s, batch[1], batch[0].Event.ID)
	wantDuplicate(t, s, batch[2], batch[0].Event.ID)
}

func testDedupWindow(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, time.Hour)
	wantDuplicate(t, s, keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(59*time.Minute), time.Hour), first.Event.ID)
	// Past the window the key is free again, and the new event holds it.
	later := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(61*time.Minute), time.Hour)
	wantOriginal(t, s, later)
	wantDuplicate(t, s, keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(90*time.Minute), time.Hour), later.Event.ID)
}

func testDedupForever(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := keyed(t, s, "", dst.ID, "api", "idem-1", t0, 0)
	wantOriginal(t, s, first)
	wantDuplicate(t, s, keyed(t, s, src.ID, dst.ID, "api", "idem-1", t0.Add(1000*time.Hour), 0), first.Event.ID)
}

// testDedupIgnoresRejected: a refused request must not take the key, or a
// forged request could block the genuine one.
func testDedupIgnoresRejected(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	forged := newEvent(src.ID, t0)
	forged.Status = hookhub.EventRejected
	forged.DedupKey = "gh-9"
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: forged, DedupScope: src.ID, DedupWindow: time.Hour}}))
	wantOriginal(t, s, keyed(t, s, src.ID, dst.ID, src.ID, "gh-9", t0.Add(time.Second), time.Hour))
}

// testDedupConcurrent has batches that share keys, in different orders, saved
// at once: each key must end up accepted exactly once, and no batch may fail.
func testDedupConcurrent(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	const writers, keys = 6, 5
	var mu sync.Mutex
	accepted := map[string]int{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var batch []*hookhub.NewEvent
			for k := range keys {
				ev := newEvent(src.ID, t0)
				ev.DedupKey = fmt.Sprintf("key-%d", (k+w)%keys) // each writer starts elsewhere
				batch = append(batch, &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)},
					DedupScope: src.ID, DedupWindow: time.Hour})
			}
			if err := s.SaveEvents(ctx(t), batch); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, ne := range batch {
				if ne.Event.Status == hookhub.EventAccepted {
					accepted[ne.Event.DedupKey]++
				}
			}
		})
	}
	wg.Wait()
	for k := range keys {
		if n := accepted[fmt.Sprintf("key-%d", k)]; n != 1 {
			t.Errorf("key-%d accepted %d times, want once", k, n)
		}
	}
}
