package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// dedupKey is a key in its scope.
type dedupKey struct{ scope, key string }

// hold is who holds a dedup key and since when.
type hold struct {
	eventID string
	since   time.Time
}

// isDuplicate is the dedup decision: an event received at at, whose key is
// held by h, is a duplicate unless it is the holder, nobody holds the key, or
// the holder's window (window 0 = forever) has passed.
func isDuplicate(h hold, eventID string, at time.Time, window time.Duration) bool {
	switch {
	case h.eventID == "" || h.eventID == eventID:
		return false
	case window <= 0:
		return true
	}
	return !h.since.Before(at.Add(-window))
}

// dedup decides which events of a batch are duplicates and records the keys
// taken, in a few statements whatever the batch size. It returns, by batch
// index, the event each duplicate repeats. Only accepted events with a key
// take part: a rejected request must not take the key of the genuine one.
func (s *Store) dedup(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, stored []bool) (map[int]string, error) {
	var keyed []int
	for i, ne := range batch {
		if stored[i] && ne.Event.Status == hookhub.EventAccepted && ne.Event.DedupKey != "" {
			keyed = append(keyed, i)
		}
	}
	if len(keyed) == 0 {
		return nil, nil
	}
	holds, err := s.takeFreeKeys(ctx, tx, batch, keyed)
	if err != nil {
		return nil, err
	}
	if err := s.readHolds(ctx, tx, holds); err != nil {
		return nil, err
	}
	dups := map[int]string{}
	var takenOver []dedupKey
	for _, i := range keyed {
		ev, k := batch[i].Event, keyOf(batch[i])
		h := holds[k]
		switch {
		case isDuplicate(h, ev.ID, ev.ReceivedAt, batch[i].DedupWindow):
			dups[i] = h.eventID
		case h.eventID != ev.ID:
			holds[k] = hold{ev.ID, ev.ReceivedAt}
			takenOver = append(takenOver, k)
		}
	}
	return dups, s.writeTakeOvers(ctx, tx, holds, takenOver)
}

func keyOf(ne *hookhub.NewEvent) dedupKey { return dedupKey{ne.DedupScope, ne.Event.DedupKey} }

// takeFreeKeys inserts each key of the batch for its first event; keys held
// already are left alone. It returns every key of the batch, with its hold
// when this insert took it, or an empty hold to read. Rows go in key order so
// that concurrent batches lock keys in the same order and cannot deadlock.
func (s *Store) takeFreeKeys(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, keyed []int) (map[dedupKey]hold, error) {
	holds := map[dedupKey]hold{}
	first := map[dedupKey]int{}
	var keys []dedupKey
	for _, i := range keyed {
		k := keyOf(batch[i])
		if _, ok := first[k]; !ok {
			first[k] = i
			keys = append(keys, k)
			holds[k] = hold{}
		}
	}
	sort.Slice(keys, func(a, b int) bool {
		return keys[a].scope < keys[b].scope || keys[a].scope == keys[b].scope && keys[a].key < keys[b].key
	})
	for _, n := range sizedChunks(len(keys), maxParams/4) {
		part := keys[:n]
		keys = keys[n:]
		args := make([]any, 0, 4*len(part))
		for _, k := range part {
			ev := batch[first[k]].Event
			args = append(args, k.scope, k.key, ev.ID, s.d.t(ev.ReceivedAt))
		}
		query := `INSERT INTO event_dedup (scope, dedup_key, event_id, created_at) VALUES (?, ?, ?, ?)` +
			strings.Repeat(", (?, ?, ?, ?)", len(part)-1) +
			` ON CONFLICT (scope, dedup_key) DO NOTHING RETURNING scope, dedup_key`
		rows, err := s.txQuery(ctx, tx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("take dedup keys: %w", err)
		}
		taken, err := scanAll(rows, scanKey)
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("take dedup keys: %w", err)
		}
		for _, k := range taken {
			ev := batch[first[k]].Event
			holds[k] = hold{ev.ID, ev.ReceivedAt}
		}
	}
	return holds, nil
}

func scanKey(row scanner) (dedupKey, error) {
	var k dedupKey
	err := row.Scan(&k.scope, &k.key)
	return k, err
}

// readHolds fills in the holds of keys someone else held, locking them on
// PostgreSQL so that a concurrent batch waits to see our take-overs.
func (s *Store) readHolds(ctx context.Context, tx *sql.Tx, holds map[dedupKey]hold) error {
	byScope := map[string][]string{}
	for k, h := range holds {
		if h.eventID == "" {
			byScope[k.scope] = append(byScope[k.scope], k.key)
		}
	}
	for scope, keys := range byScope {
		sort.Strings(keys)
		for _, part := range chunks(keys, maxParams-1) {
			query := `SELECT dedup_key, event_id, created_at FROM event_dedup WHERE scope = ? AND dedup_key IN (` +
				placeholders(len(part)) + `) ORDER BY dedup_key ` + s.d.lockRows
			rows, err := tx.QueryContext(ctx, s.q(query), append([]any{scope}, anys(part)...)...)
			if err != nil {
				return fmt.Errorf("read dedup keys: %w", err)
			}
			err = s.scanHolds(rows, scope, holds)
			rows.Close()
			if err != nil {
				return fmt.Errorf("read dedup keys: %w", err)
			}
		}
	}
	return nil
}

func (s *Store) scanHolds(rows *sql.Rows, scope string, holds map[dedupKey]hold) error {
	for rows.Next() {
		var key string
		var h hold
		if err := rows.Scan(&key, &h.eventID, tm(&h.since)); err != nil {
			return err
		}
		holds[dedupKey{scope, key}] = h
	}
	return rows.Err()
}

// writeTakeOvers records keys taken over after their window passed; it is
// rare, so one statement per key is fine. It inserts too, in case the row went
// (its event pruned) since it was read.
func (s *Store) writeTakeOvers(ctx context.Context, tx *sql.Tx, holds map[dedupKey]hold, keys []dedupKey) error {
	for _, k := range keys {
		h := holds[k]
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO event_dedup (scope, dedup_key, event_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (scope, dedup_key) DO UPDATE SET event_id = excluded.event_id, created_at = excluded.created_at`),
			k.scope, k.key, h.eventID, s.d.t(h.since))
		if err != nil {
			return fmt.Errorf("take over dedup key: %w", err)
		}
	}
	return nil
}
