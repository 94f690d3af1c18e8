package routing

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// TableTTL bounds how long another replica's destination change can go unseen.
const TableTTL = 2 * time.Second

// Table keeps every destination with its compiled filter in memory,
// refreshed every TableTTL and at once after Invalidate.
type Table struct {
	store hookhub.Store
	log   *slog.Logger
	now   func() time.Time

	mu      sync.Mutex
	dests   []Dest
	expires time.Time
}

// NewTable returns a Table reading destinations from store.
func NewTable(store hookhub.Store, log *slog.Logger, now func() time.Time) *Table {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Table{store: store, log: log, now: now}
}

// Invalidate makes the next Load read the store again.
func (t *Table) Invalidate() {
	t.mu.Lock()
	t.expires = time.Time{}
	t.mu.Unlock()
}

// Load returns the destinations to route to. A destination whose filter does
// not compile is skipped and logged; a failed read keeps what was loaded
// before (the error is transient, or the commit itself will fail).
func (t *Table) Load(ctx context.Context) []Dest {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if now.Before(t.expires) {
		return t.dests
	}
	var all []Dest
	page := hookhub.Page{Limit: 500}
	for {
		list, next, err := t.store.ListDestinations(ctx, page)
		if err != nil {
			t.log.Error("load destinations for routing", "err", err)
			return t.dests
		}
		for _, d := range list {
			rd, err := Compile(d)
			if err != nil {
				t.log.Error("destination filter does not compile; skipping", "destination_id", d.ID, "err", err)
				continue
			}
			all = append(all, rd)
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	t.dests, t.expires = all, now.Add(TableTTL)
	return all
}

// Inbound routes an event received on src with the current destinations.
func (t *Table) Inbound(ctx context.Context, ev *hookhub.Event, src *hookhub.Source) []*hookhub.Delivery {
	return Inbound(t.Load(ctx), ev, src, t.now())
}

// InboundDecoded routes an event received on src whose body the caller
// decoded, with the current destinations.
func (t *Table) InboundDecoded(ctx context.Context, ev *hookhub.Event, src *hookhub.Source, payload Payload) []*hookhub.Delivery {
	return InboundDecoded(t.Load(ctx), ev, src, payload, t.now())
}

// Published routes a published or Hookhub-raised event with the current
// destinations.
func (t *Table) Published(ctx context.Context, ev *hookhub.Event, severity, sourceID string) []*hookhub.Delivery {
	return Published(t.Load(ctx), ev, severity, sourceID, t.now())
}

// Now is the table's clock, for callers that route over destinations they
// loaded before a transaction.
func (t *Table) Now() time.Time { return t.now() }
