package routing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/routing"
)

// flakyStore serves ListDestinations from a list, or fails while down.
type flakyStore struct {
	hookhub.Store
	dests []*hookhub.Destination
	down  bool
}

func (s *flakyStore) ListDestinations(ctx context.Context, p hookhub.Page) ([]*hookhub.Destination, string, error) {
	if s.down {
		return nil, "", errors.New("database is down")
	}
	return s.dests, "", nil
}

// An event routed while the destinations cannot be read must not be stored
// as if it had none: the table says it failed, and keeps the last view for
// callers that go on regardless.
func TestTableFailsWhenDestinationsCannotBeRead(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	d := &hookhub.Destination{ID: "dst_1", Name: "one", Type: hookhub.DestinationWebhook, URL: "https://example.com/", Enabled: true}
	st := &flakyStore{dests: []*hookhub.Destination{d}}
	table := routing.NewTable(st, nil, clock)
	ev := &hookhub.Event{ID: "evt_1", Type: "order.created", Status: hookhub.EventAccepted, ReceivedAt: now}

	// Never loaded and the store is down: an error, and no deliveries.
	st.down = true
	if ds, err := table.Published(context.Background(), ev, "", ""); err == nil {
		t.Fatalf("Published with the store down = %d deliveries, no error", len(ds))
	}

	st.down = false
	ds, err := table.Published(context.Background(), ev, "", "")
	if err != nil || len(ds) != 1 {
		t.Fatalf("Published = %d deliveries, %v; want 1, nil", len(ds), err)
	}

	// The view expires and the store goes down: an error, with the last view.
	now = now.Add(routing.TableTTL + time.Second)
	st.down = true
	dests, err := table.Load(context.Background())
	if err == nil {
		t.Fatal("Load with the store down and the view expired: no error")
	}
	if len(dests) != 1 || dests[0].D.ID != "dst_1" {
		t.Fatalf("Load kept %d destinations; want the last view of 1", len(dests))
	}
	if _, err := table.Inbound(context.Background(), ev, &hookhub.Source{ID: "src_1"}); err == nil {
		t.Fatal("Inbound with the store down: no error")
	}
}
