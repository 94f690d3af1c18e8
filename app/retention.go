package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/hookhub/hookhub"
)

// rejectedRetention is how long refused requests stay visible in the
// inspector: long enough to debug a misconfigured sender, short enough that a
// flood of bad requests does not fill the disk.
const rejectedRetention = 24 * time.Hour

// retention enforces each source's retention (max age and/or count) by deleting
// old events in small batches, so it never holds the writer for long and ingest
// keeps flowing.
type retention struct {
	store    hookhub.Store
	log      *slog.Logger
	now      func() time.Time
	interval time.Duration
	batch    int
	// keepRejected bounds the age of rejected requests of every source.
	keepRejected time.Duration
	// sessionIdle is the console's idle timeout: sessions unused for longer
	// (and expired ones) are deleted; zero keeps them.
	sessionIdle time.Duration
}

// run prunes every interval until ctx ends.
func (rt *retention) run(ctx context.Context) {
	t := time.NewTicker(rt.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := rt.pruneAll(ctx); err != nil && ctx.Err() == nil {
				rt.log.Error("retention", "err", err)
			}
		}
	}
}

// pruneAll applies every source's retention, then the rejected requests'
// retention, once.
func (rt *retention) pruneAll(ctx context.Context) error {
	if err := rt.pruneSources(ctx); err != nil {
		return err
	}
	if rt.sessionIdle > 0 {
		now := rt.now()
		if _, err := rt.store.PruneSessions(ctx, now, now.Add(-rt.sessionIdle)); err != nil {
			return err
		}
	}
	if rt.keepRejected <= 0 {
		return nil
	}
	before := rt.now().Add(-rt.keepRejected)
	return rt.batches(ctx, "", func() (int, error) { return rt.store.PruneRejected(ctx, before, rt.batch) })
}

func (rt *retention) pruneSources(ctx context.Context) error {
	page := hookhub.Page{Limit: 500}
	for {
		list, next, err := rt.store.ListSources(ctx, page)
		if err != nil {
			return err
		}
		for _, src := range list {
			if err := rt.prune(ctx, src); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		page.Cursor = next
	}
}

func (rt *retention) prune(ctx context.Context, src *hookhub.Source) error {
	r := src.Retention
	if r.MaxAgeSec == 0 && r.MaxCount == 0 {
		return nil
	}
	var before time.Time
	if r.MaxAgeSec > 0 {
		before = rt.now().Add(-time.Duration(r.MaxAgeSec) * time.Second)
	}
	return rt.batches(ctx, src.ID, func() (int, error) {
		return rt.store.PruneEvents(ctx, src.ID, before, r.MaxCount, rt.batch)
	})
}

// batches runs prune until a batch comes back short.
func (rt *retention) batches(ctx context.Context, sourceID string, prune func() (int, error)) error {
	for ctx.Err() == nil {
		n, err := prune()
		if err != nil {
			return err
		}
		if n > 0 {
			rt.log.Debug("retention pruned events", "source_id", sourceID, "count", n)
		}
		if n < rt.batch {
			return nil
		}
		// Yield between batches so ingest commits interleave.
		time.Sleep(10 * time.Millisecond)
	}
	return ctx.Err()
}
