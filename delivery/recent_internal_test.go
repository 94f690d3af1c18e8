package delivery

import (
	"testing"

	"github.com/hookhub/hookhub"
)

func TestRecentEvents(t *testing.T) {
	r := newRecentEvents(4 * (100 + 512)) // four small events
	ev := func(id string, n int) *hookhub.Event { return &hookhub.Event{ID: id, Body: make([]byte, n)} }
	for _, id := range []string{"a", "b", "c", "d"} {
		r.add(ev(id, 100))
	}
	found, missing := r.take([]string{"a", "d", "x"})
	if len(found) != 2 || found["a"] == nil || found["d"] == nil || len(missing) != 1 || missing[0] != "x" {
		t.Fatalf("take: found %v, missing %v", found, missing)
	}
	// A fifth event evicts the oldest; taking does not remove.
	r.add(ev("e", 100))
	if _, missing := r.take([]string{"a", "b", "e"}); len(missing) != 1 || missing[0] != "a" {
		t.Fatalf("after eviction missing %v, want [a]", missing)
	}
	// A large body is not kept.
	r.add(ev("big", recentMaxBody+1))
	if _, missing := r.take([]string{"big"}); len(missing) != 1 {
		t.Fatal("kept an oversized event")
	}
	if r.bytes > r.budget {
		t.Fatalf("holding %d bytes over a budget of %d", r.bytes, r.budget)
	}
}
