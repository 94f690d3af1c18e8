package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var pruneTests = []test{
	{"PruneByAge", testPruneByAge},
	{"PruneByCount", testPruneByCount},
	{"PruneLimit", testPruneLimit},
	{"PruneFreesDedupKeys", testPruneFreesDedupKeys},
	{"PruneRejected", testPruneRejected},
}

func testPruneRejected(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	var rejected []string
	for i := range 3 {
		ev := newEvent(src.ID, t0.Add(time.Duration(i)*time.Hour))
		ev.Status = hookhub.EventRejected
		must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev}}))
		rejected = append(rejected, ev.ID)
	}
	kept := newEvent(src.ID, t0) // accepted, as old as the oldest rejected one
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: kept}}))

	n, err := s.PruneRejected(ctx(t), t0.Add(90*time.Minute), 100)
	must(t, err)
	equal(t, "pruned", n, 2)
	left := remaining(t, s, src.ID)
	slices.Sort(left)
	want := []string{rejected[2], kept.ID}
	slices.Sort(want)
	equal(t, "left", left, want)
	n, err = s.PruneRejected(ctx(t), t0.Add(90*time.Minute), 100)
	must(t, err)
	equal(t, "pruned again", n, 0)
}

// eventsOf saves n events of src received a minute apart from t0, each with a
// delivery to dst, and returns their IDs oldest first. IDs made in the same
// millisecond are in random order, so each is drawn until it sorts after the
// previous one, as IDs of events received a minute apart would.
func eventsOf(t *testing.T, s hookhub.Store, src, dst string, n int) []string {
	t.Helper()
	var ids []string
	last := ""
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Minute)
		ev := newEvent(src, at)
		for ev.ID <= last {
			ev.ID = hookhub.NewID(hookhub.PrefixEvent)
		}
		last = ev.ID
		must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst, at)}}}))
		ids = append(ids, ev.ID)
	}
	return ids
}

func remaining(t *testing.T, s hookhub.Store, sourceID string) []string {
	t.Helper()
	list, _, err := s.ListEvents(ctx(t), hookhub.EventFilter{SourceID: sourceID, Page: hookhub.Page{Limit: 500}})
	must(t, err)
	ids := make([]string, len(list))
	for i, ev := range list {
		ids[i] = ev.ID
	}
	return ids
}

func testPruneByAge(t *testing.T, s hookhub.Store) {
	src, other, dst := newSource(t, s), newSource(t, s), newDestination(t, s)
	ids := eventsOf(t, s, src.ID, dst.ID, 6)
	others := eventsOf(t, s, other.ID, dst.ID, 3)
	gone, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ids[0]})
	must(t, err)
	complete(t, s, gone[0].ID, hookhub.DeliveryFailed)

	n, err := s.PruneEvents(ctx(t), src.ID, t0.Add(2*time.Minute), 0, 100)
	must(t, err)
	if n != 2 {
		t.Fatalf("pruned %d, want the 2 received before the cutoff", n)
	}
	equal(t, "kept", remaining(t, s, src.ID), newest(ids[2:]))
	equal(t, "other source untouched", remaining(t, s, other.ID), newest(others))
	_, err = s.GetDelivery(ctx(t), gone[0].ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	attempts, err := s.ListAttempts(ctx(t), gone[0].ID)
	must(t, err)
	if len(attempts) != 0 {
		t.Fatalf("%d attempts of a pruned delivery remain", len(attempts))
	}
}

func testPruneByCount(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ids := eventsOf(t, s, src.ID, dst.ID, 7)
	n, err := s.PruneEvents(ctx(t), src.ID, time.Time{}, 3, 100)
	must(t, err)
	if n != 4 {
		t.Fatalf("pruned %d, want 4", n)
	}
	equal(t, "kept the newest 3", remaining(t, s, src.ID), newest(ids[4:]))
	n, err = s.PruneEvents(ctx(t), src.ID, time.Time{}, 3, 100)
	must(t, err)
	if n != 0 {
		t.Fatalf("pruned %d more at the limit", n)
	}
	// Age and count together: whichever removes more.
	n, err = s.PruneEvents(ctx(t), src.ID, t0.Add(6*time.Minute), 2, 100)
	must(t, err)
	if n != 2 {
		t.Fatalf("pruned %d with age and count, want 2", n)
	}
	equal(t, "kept", remaining(t, s, src.ID), []string{ids[6]})
}

func testPruneLimit(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ids := eventsOf(t, s, src.ID, dst.ID, 5)
	n, err := s.PruneEvents(ctx(t), src.ID, t0.Add(time.Hour), 0, 2)
	must(t, err)
	if n != 2 {
		t.Fatalf("pruned %d, want the limit of 2", n)
	}
	equal(t, "oldest go first", remaining(t, s, src.ID), newest(ids[2:]))
	n, err = s.PruneEvents(ctx(t), src.ID, time.Time{}, 0, 10)
	must(t, err)
	if n != 0 {
		t.Fatalf("pruned %d with no age and no count limit", n)
	}
}

func testPruneFreesDedupKeys(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0, 0)
	n, err := s.PruneEvents(ctx(t), src.ID, t0.Add(time.Second), 0, 10)
	must(t, err)
	if n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	again := keyed(t, s, src.ID, dst.ID, src.ID, "k", t0.Add(time.Minute), 0)
	if again.Event.DuplicateOf == first.Event.ID {
		t.Fatal("a pruned event still holds its dedup key")
	}
	wantOriginal(t, s, again)
}
