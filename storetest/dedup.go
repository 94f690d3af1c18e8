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
	{"DedupTakeOverInOneBatch", testDedupTakeOverInOneBatch},
	{"DedupConcurrentTakeOver", testDedupConcurrentTakeOver},
	{"DedupSavedTwice", testDedupSavedTwice},
	{"DedupAfterSourceDeleted", testDedupAfterSourceDeleted},
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

// testDedupTakeOverInOneBatch: events of one batch with the key of a holder
// whose window has passed; the first takes the key over, the others repeat it.
func testDedupTakeOverInOneBatch(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	old := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, time.Hour)
	var batch []*hookhub.NewEvent
	for range 3 {
		ev := newEvent(src.ID, t0.Add(2*time.Hour))
		ev.DedupKey = "k"
		batch = append(batch, &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)},
			DedupScope: src.ID, DedupWindow: time.Hour})
	}
	must(t, s.SaveEvents(ctx(t), batch))
	wantOriginal(t, s, batch[0])
	wantDuplicate(t, s, batch[1], batch[0].Event.ID)
	wantDuplicate(t, s, batch[2], batch[0].Event.ID)
	// The old holder no longer holds it: a later event within the new
	// holder's window repeats the new holder.
	wantDuplicate(t, s, keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(150*time.Minute), time.Hour), batch[0].Event.ID)
	got, err := s.GetEvent(ctx(t), old.Event.ID)
	must(t, err)
	if got.Status != hookhub.EventAccepted || got.DedupKey != "k" {
		t.Fatalf("old holder after the take-over: status %q, key %q; want it kept as it was", got.Status, got.DedupKey)
	}
}

// testDedupConcurrentTakeOver has batches, saved at once, that all find the
// same key held by an event whose window has passed: one takes it over, the
// others are duplicates of that one, and no batch fails.
func testDedupConcurrentTakeOver(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, time.Hour)
	const writers = 6
	saved := make([]*hookhub.NewEvent, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			ev := newEvent(src.ID, t0.Add(2*time.Hour))
			ev.DedupKey = "k"
			ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)},
				DedupScope: src.ID, DedupWindow: time.Hour}
			if err := s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}); err != nil {
				t.Error(err)
				return
			}
			saved[w] = ne
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	var holder *hookhub.NewEvent
	for _, ne := range saved {
		if ne.Event.Status == hookhub.EventAccepted {
			if holder != nil {
				t.Fatalf("events %s and %s both took the key over", holder.Event.ID, ne.Event.ID)
			}
			holder = ne
		}
	}
	if holder == nil {
		t.Fatal("no event took the key over")
	}
	wantOriginal(t, s, holder)
	for _, ne := range saved {
		if ne != holder {
			wantDuplicate(t, s, ne, holder.Event.ID)
		}
	}
}

// testDedupSavedTwice: saving again an event that is stored and holds its
// key fails as any clash of IDs does, and changes nothing.
func testDedupSavedTwice(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, time.Hour)
	again := &hookhub.NewEvent{Event: newEvent(src.ID, t0), Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)},
		DedupScope: src.ID, DedupWindow: time.Hour}
	again.Event.ID, again.Event.DedupKey = first.Event.ID, "k"
	wantCode(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{again}), hookhub.ECONFLICT)
	list, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: first.Event.ID})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("the event has %d deliveries after saving it again, want 1", len(list))
	}
	wantDuplicate(t, s, keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(time.Minute), time.Hour), first.Event.ID)
}

// testDedupAfterSourceDeleted: a deleted source's keys go with its events.
func testDedupAfterSourceDeleted(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, 0)
	must(t, s.DeleteSource(ctx(t), src.ID))
	// Another event in that scope (none is received after the deletion;
	// this one is published with the scope named) finds the key free.
	later := keyed(t, s, "", dst.ID, src.ID, "k", t0.Add(time.Minute), 0)
	wantOriginal(t, s, later)
}
