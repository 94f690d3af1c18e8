package delivery_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/hookhub/hookhub"
)

// countingStore records the event IDs the engine reads back from the store.
type countingStore struct {
	hookhub.Store
	mu   sync.Mutex
	read []string
}

func (s *countingStore) GetEvents(ctx context.Context, ids []string) ([]*hookhub.Event, error) {
	s.mu.Lock()
	s.read = append(s.read, ids...)
	s.mu.Unlock()
	return s.Store.GetEvents(ctx, ids)
}

// TestQueuedEventsAreNotReadBack: events handed over with Queued are sent
// from memory; others are read from the store. Both arrive intact.
func TestQueuedEventsAreNotReadBack(t *testing.T) {
	cs := &countingStore{Store: openSQLite(t)}
	h := &hub{t: t, store: cs, clock: newClock(), logs: &logBuffer{}}
	h.eng = h.start()
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, n int) {})
	dest := h.destination(rc.srv.URL)

	now := h.clock.Now()
	var evs []*hookhub.Event
	var batch []*hookhub.NewEvent
	for i := range 3 {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.created", Status: hookhub.EventAccepted,
			ReceivedAt: now, Body: fmt.Appendf(nil, `{"n":%d}`, i), Headers: map[string][]string{"Content-Type": {"application/json"}},
			Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone}}
		evs = append(evs, ev)
		batch = append(batch, &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{{DestinationID: dest.ID}}})
	}
	// Handed over before the commit, so that no poll in between can claim
	// them first (in the server it comes right after the commit).
	h.eng.Queued(evs[0])
	h.eng.Queued(evs[1])
	if err := h.store.SaveEvents(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	h.eng.Notify()

	eventually(t, "three deliveries", func() bool { return len(rc.requests()) == 3 })
	var bodies []string
	for _, r := range rc.requests() {
		bodies = append(bodies, string(r.body))
	}
	slices.Sort(bodies)
	if want := []string{`{"n":0}`, `{"n":1}`, `{"n":2}`}; !slices.Equal(bodies, want) {
		t.Fatalf("bodies %q, want %q", bodies, want)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if !slices.Equal(cs.read, []string{evs[2].ID}) {
		t.Fatalf("events read back %v, want only %s", cs.read, evs[2].ID)
	}
}
