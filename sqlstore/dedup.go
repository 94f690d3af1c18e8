package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/hookhub/hookhub"
)

// Dedup keys live in the events table: the event holding a key has the key's
// scope in dedup_scope (NULL for every other event), and the unique index
// events_dedup on (dedup_scope, dedup_key) holds each key once. An event
// takes its key by being inserted; the insert skips the events whose key is
// held, and only those are looked at again.

// dedupKey is a key in its scope.
type dedupKey struct{ scope, key string }

func (a dedupKey) less(b dedupKey) bool {
	return a.scope < b.scope || a.scope == b.scope && a.key < b.key
}

func keyOf(ne *hookhub.NewEvent) dedupKey { return dedupKey{ne.DedupScope, ne.Event.DedupKey} }

// takesKey reports whether an event takes part in dedup: only accepted events
// with a key do, so that a rejected request cannot take the key of the
// genuine one.
func takesKey(ne *hookhub.NewEvent) bool {
	return ne.Event.Status == hookhub.EventAccepted && ne.Event.DedupKey != ""
}

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

// eventInsertTail makes an event whose key is held skip its insert instead
// of failing the statement.
const eventInsertTail = ` ON CONFLICT (dedup_scope, dedup_key) WHERE dedup_scope IS NOT NULL DO NOTHING`

// insertEvents inserts the stored events of a batch, deciding which are
// duplicates and recording it in out, in one multi-row statement when every
// key is free (a few more statements for the events whose key is held).
// Events that take part in dedup go in key order, after the others, so that
// concurrent batches take keys in the same order and cannot deadlock.
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, stored []bool, eventRows [][]any, out []eventOutcome) error {
	var rows [][]any
	var keyed []int
	for i, ne := range batch {
		switch {
		case !stored[i]:
		case takesKey(ne):
			keyed = append(keyed, i)
		default:
			rows = append(rows, eventRows[i])
		}
	}
	sortByKey(batch, keyed)
	for _, i := range keyed {
		rows = append(rows, eventRows[i])
	}
	n, err := s.insertEventRows(ctx, tx, rows)
	if err != nil {
		return err
	}
	if n == int64(len(rows)) {
		return nil
	}
	pending, err := s.notInserted(ctx, tx, batch, keyed, n-int64(len(rows)-len(keyed)))
	if err != nil {
		return err
	}
	return s.settleKeys(ctx, tx, batch, eventRows, pending, out)
}

// maxKeyRounds bounds settleKeys: each round after the first needs another
// process to have taken or freed one of the batch's keys meanwhile.
const maxKeyRounds = 8

// settleKeys stores the events whose key was held when they were inserted,
// pending in batch order. An event whose key is held within its window is a
// duplicate of the holder; one whose holder's window has passed takes the key
// over; one whose holder went meanwhile (pruned, or taken over by another
// process) tries to take the key again. Of the events of one key, only the
// first is decided in a round: the rest are duplicates of whoever ends up
// holding it, which the next round reads.
func (s *Store) settleKeys(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, eventRows [][]any, pending []int, out []eventOutcome) error {
	for round := 1; len(pending) > 0; round++ {
		if round > maxKeyRounds {
			return fmt.Errorf("dedup keys of %d events kept changing hands", len(pending))
		}
		holds, err := s.readHolds(ctx, tx, batch, pending)
		if err != nil {
			return err
		}
		var dups [][]any
		var takers, next []int
		var freed []string
		taking := map[dedupKey]bool{}
		for _, i := range pending {
			ne, k := batch[i], keyOf(batch[i])
			if taking[k] {
				next = append(next, i)
				continue
			}
			h, held := holds[k]
			if held && isDuplicate(h, ne.Event.ID, ne.Event.ReceivedAt, ne.DedupWindow) {
				out[i].duplicateOf = h.eventID
				row := slices.Clone(eventRows[i]) // a retried transaction decides again
				row[eventStatusCol], row[eventDuplicateOfCol], row[eventDedupScopeCol] = hookhub.EventDuplicate, h.eventID, nil
				dups = append(dups, row)
				continue
			}
			if held {
				freed = append(freed, h.eventID)
			}
			taking[k] = true
			takers = append(takers, i)
		}
		if err := s.freeKeys(ctx, tx, freed); err != nil {
			return err
		}
		if _, err := s.insertEventRows(ctx, tx, dups); err != nil {
			return err
		}
		sortByKey(batch, takers)
		rows := make([][]any, len(takers))
		for j, i := range takers {
			rows[j] = eventRows[i]
		}
		n, err := s.insertEventRows(ctx, tx, rows)
		if err != nil {
			return err
		}
		if n < int64(len(rows)) {
			lost, err := s.notInserted(ctx, tx, batch, takers, n)
			if err != nil {
				return err
			}
			next = append(next, lost...)
		}
		sort.Ints(next)
		pending = next
	}
	return nil
}

// insertEventRows inserts event rows, skipping those whose key is held, and
// returns how many went in.
func (s *Store) insertEventRows(ctx context.Context, tx *sql.Tx, rows [][]any) (int64, error) {
	n, err := s.insertRowsCounted(ctx, tx, `INSERT INTO events (`+eventCols+`, dedup_scope)`, eventInsertTail, rows)
	if err != nil {
		return 0, fmt.Errorf("insert events: %w", err)
	}
	return n, nil
}

// sortByKey sorts batch indexes by their events' keys, keeping batch order
// among events of the same key.
func sortByKey(batch []*hookhub.NewEvent, idx []int) {
	sort.SliceStable(idx, func(a, b int) bool { return keyOf(batch[idx[a]]).less(keyOf(batch[idx[b]])) })
}

// notInserted returns, in batch order, the indexes among idx whose events
// an insert skipped, given how many of them it inserted. An event whose ID
// is taken (by an event already stored, or twice in the batch) may have been
// skipped for its key rather than failing: the count tells, and it fails as
// a clash of IDs would.
func (s *Store) notInserted(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, idx []int, inserted int64) ([]int, error) {
	ids := make([]string, len(idx))
	for j, i := range idx {
		ids[j] = batch[i].Event.ID
	}
	in, err := s.existing(ctx, tx, "events", distinct(ids))
	if err != nil {
		return nil, err
	}
	var missing []int
	for _, i := range idx {
		if !in[batch[i].Event.ID] {
			missing = append(missing, i)
		}
	}
	if int64(len(idx)-len(missing)) != inserted {
		return nil, hookhub.Errorf(hookhub.ECONFLICT, "insert events: an event ID is taken")
	}
	sort.Ints(missing)
	return missing, nil
}

// readHolds returns who holds the keys of the given events, locking the
// holders on PostgreSQL so that a concurrent batch waits to see a take-over.
func (s *Store) readHolds(ctx context.Context, tx *sql.Tx, batch []*hookhub.NewEvent, idx []int) (map[dedupKey]hold, error) {
	byScope := map[string][]string{}
	seen := map[dedupKey]bool{}
	var scopes []string
	for _, i := range idx {
		k := keyOf(batch[i])
		if seen[k] {
			continue
		}
		seen[k] = true
		if byScope[k.scope] == nil {
			scopes = append(scopes, k.scope)
		}
		byScope[k.scope] = append(byScope[k.scope], k.key)
	}
	sort.Strings(scopes)
	holds := map[dedupKey]hold{}
	for _, scope := range scopes {
		keys := byScope[scope]
		sort.Strings(keys)
		for _, part := range chunks(keys, maxParams-1) {
			query := `SELECT dedup_key, id, received_at FROM events WHERE dedup_scope = ? AND dedup_key IN (` +
				placeholders(len(part)) + `) ORDER BY dedup_key ` + s.d.lockRows
			rows, err := tx.QueryContext(ctx, s.q(query), append([]any{scope}, anys(part)...)...)
			if err != nil {
				return nil, fmt.Errorf("read dedup keys: %w", err)
			}
			err = scanHolds(rows, scope, holds)
			rows.Close()
			if err != nil {
				return nil, fmt.Errorf("read dedup keys: %w", err)
			}
		}
	}
	return holds, nil
}

func scanHolds(rows *sql.Rows, scope string, holds map[dedupKey]hold) error {
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

// freeKeys releases the keys held by the given events, whose windows have
// passed, so that newer events take them over; it is rare.
func (s *Store) freeKeys(ctx context.Context, tx *sql.Tx, ids []string) error {
	sort.Strings(ids)
	for _, part := range chunks(ids, maxIDsPerQuery) {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE events SET dedup_scope = NULL WHERE id IN (`+placeholders(len(part))+`)`), anys(part)...)
		if err != nil {
			return fmt.Errorf("take over dedup keys: %w", err)
		}
	}
	return nil
}
