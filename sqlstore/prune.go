package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// PruneEvents deletes up to limit of a source's events, oldest first, that
// were received before before (zero: no age limit) or are beyond the newest
// keep (0: no count limit), with their deliveries, attempts and dedup keys. It
// returns how many events it deleted.
func (s *Store) PruneEvents(ctx context.Context, sourceID string, before time.Time, keep, limit int) (int, error) {
	if limit <= 0 || (before.IsZero() && keep <= 0) {
		return 0, nil
	}
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := s.prunable(ctx, tx, sourceID, before, keep, limit)
		if err != nil {
			return err
		}
		n = len(ids)
		return s.deleteEvents(ctx, tx, ids)
	})
	if err != nil {
		return 0, s.check(err, "prune events")
	}
	return n, nil
}

// prunable returns the IDs of the events PruneEvents deletes.
func (s *Store) prunable(ctx context.Context, tx *sql.Tx, sourceID string, before time.Time, keep, limit int) ([]string, error) {
	var or []string
	var args []any
	if !before.IsZero() {
		or = append(or, "received_at < ?")
		args = append(args, s.d.t(before))
	}
	if keep > 0 {
		// The newest event beyond the keep newest: it and all older go.
		var edge string
		err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM events WHERE source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?`),
			sourceID, keep).Scan(&edge)
		switch {
		case err == nil:
			or = append(or, "id <= ?")
			args = append(args, edge)
		case err != sql.ErrNoRows:
			return nil, fmt.Errorf("find retention edge: %w", err)
		}
	}
	if len(or) == 0 {
		return nil, nil
	}
	query := `SELECT id FROM events WHERE source_id = ? AND (` + strings.Join(or, " OR ") + `) ORDER BY id LIMIT ?`
	args = append(append([]any{sourceID}, args...), limit)
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("select events to prune: %w", err)
	}
	defer rows.Close()
	return scanAll(rows, func(row scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	})
}

// deleteEvents deletes events by ID (the dedup keys they hold go with
// them); foreign keys cascade to deliveries and attempts.
func (s *Store) deleteEvents(ctx context.Context, tx *sql.Tx, ids []string) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), maxIDsPerQuery)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in := `(` + placeholders(len(chunk)) + `)`
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM events WHERE id IN `+in), args...); err != nil {
			return fmt.Errorf("delete events: %w", err)
		}
	}
	return nil
}

// PruneRejected deletes up to limit rejected requests received before
// before, and returns how many it deleted.
func (s *Store) PruneRejected(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 || before.IsZero() {
		return 0, nil
	}
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id FROM events WHERE status = 'rejected' AND received_at < ? ORDER BY received_at LIMIT ?`),
			s.d.t(before), limit)
		if err != nil {
			return fmt.Errorf("select rejected requests: %w", err)
		}
		ids, err := scanAll(rows, scanString)
		rows.Close()
		if err != nil {
			return fmt.Errorf("select rejected requests: %w", err)
		}
		n = len(ids)
		return s.deleteEvents(ctx, tx, ids)
	})
	if err != nil {
		return 0, s.check(err, "prune rejected requests")
	}
	return n, nil
}
