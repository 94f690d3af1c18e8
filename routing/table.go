package routing

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// TableTTL bounds how long a destination change can go unseen when the store
// cannot tell of it (another process on SQLite, or while the PostgreSQL
// change feed reconnects); changes the store reports are seen at once.
const TableTTL = 2 * time.Second

// Table keeps every destination with its compiled filter in memory, loaded
// again after a destination changes (see Changed) and at least every
// TableTTL.
type Table struct {
	store hookhub.Store
	log   *slog.Logger
	now   func() time.Time

	load sync.Mutex // one load at a time; held across the store read

	mu      sync.Mutex // guards the fields below, never across a store read
	dests   []Dest
	expires time.Time
	gen     uint64 // counts invalidations: a load that one overtook is not trusted
}

// NewTable returns a Table reading destinations from store. Whoever owns it
// passes the store's changes to Changed (see hookhub.Store.Watch).
func NewTable(store hookhub.Store, log *slog.Logger, now func() time.Time) *Table {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Table{store: store, log: log, now: now}
}

// Invalidate makes the next Load read the store again. It never waits for a
// load in progress, whose result is then used once but not kept.
func (t *Table) Invalidate() {
	t.mu.Lock()
	t.expires = time.Time{}
	t.gen++
	t.mu.Unlock()
}

// Changed invalidates the table when a destination changed.
func (t *Table) Changed(c hookhub.Change) {
	if c.Affects(hookhub.ChangeDestination) {
		t.Invalidate()
	}
}

// Load returns the destinations to route to. A destination whose filter does
// not compile is skipped and logged. When the store cannot be read, Load
// returns the error with what was loaded before: routing an event over a view
// that may lack a new destination would store it without that delivery, so
// callers that store what they route refuse instead, and callers that must go
// on (announcements of the engine's own events) may use the stale view.
func (t *Table) Load(ctx context.Context) ([]Dest, error) {
	if dests, ok := t.fresh(); ok {
		return dests, nil
	}
	t.load.Lock()
	defer t.load.Unlock()
	dests, ok := t.fresh() // another load may have finished meanwhile
	if ok {
		return dests, nil
	}
	t.mu.Lock()
	gen := t.gen
	t.mu.Unlock()
	all, err := t.read(ctx)
	if err != nil {
		return dests, fmt.Errorf("load destinations for routing: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dests = all
	if t.gen == gen {
		t.expires = t.now().Add(TableTTL)
	}
	return all, nil
}

func (t *Table) fresh() ([]Dest, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dests, t.now().Before(t.expires)
}

// read reads and compiles every destination.
func (t *Table) read(ctx context.Context) ([]Dest, error) {
	var all []Dest
	page := hookhub.Page{Limit: 500}
	for {
		list, next, err := t.store.ListDestinations(ctx, page)
		if err != nil {
			return nil, err
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
			return all, nil
		}
		page.Cursor = next
	}
}

// Inbound routes an event received on src with the current destinations.
func (t *Table) Inbound(ctx context.Context, ev *hookhub.Event, src *hookhub.Source) ([]*hookhub.Delivery, error) {
	dests, err := t.Load(ctx)
	if err != nil {
		return nil, err
	}
	return Inbound(dests, ev, src, t.now()), nil
}

// InboundDecoded routes an event received on src whose body the caller
// decoded, with the current destinations.
func (t *Table) InboundDecoded(ctx context.Context, ev *hookhub.Event, src *hookhub.Source, payload Payload) ([]*hookhub.Delivery, error) {
	dests, err := t.Load(ctx)
	if err != nil {
		return nil, err
	}
	return InboundDecoded(dests, ev, src, payload, t.now()), nil
}

// Published routes a published or Hookhub-raised event with the current
// destinations.
func (t *Table) Published(ctx context.Context, ev *hookhub.Event, severity, sourceID string) ([]*hookhub.Delivery, error) {
	dests, err := t.Load(ctx)
	if err != nil {
		return nil, err
	}
	return Published(dests, ev, severity, sourceID, t.now()), nil
}

// Now is the table's clock, for callers that route over destinations they
// loaded before a transaction.
func (t *Table) Now() time.Time { return t.now() }
