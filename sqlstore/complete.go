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

// CompleteAttempts records a batch of attempts and moves their deliveries on,
// releasing the leases, in one transaction: one UPDATE per distinct next
// state (all successes share one), one multi-row INSERT of the attempts, one
// UPDATE per destination. Only the current lease holder's result counts: a
// delivery moves on only while it is pending under the result's lease token
// (as River's JobSetStateIfRunning guards a job's completion). A result for a
// delivery that finished, was claimed again or no longer exists (pruned or
// deleted meanwhile) is skipped and marked Stale. Attempts numbered 0 are numbered
// by the store. Each destination's count of consecutive failed deliveries is
// updated once, in ID order, so that concurrent batches cannot deadlock on
// destination rows.
func (s *Store) CompleteAttempts(ctx context.Context, results []*hookhub.AttemptResult) error {
	if len(results) == 0 {
		return nil
	}
	for _, r := range results {
		switch r.Status {
		case hookhub.DeliveryPending, hookhub.DeliverySucceeded, hookhub.DeliveryFailed:
		default:
			return hookhub.Errorf(hookhub.EINVALID, "attempt result for delivery %s: status %q is not pending, succeeded or failed",
				r.Attempt.DeliveryID, r.Status)
		}
	}
	// Rows are encoded before the transaction, so the single writer of
	// SQLite is not held while JSON is built.
	rows := make([][]any, len(results))
	for i, r := range results {
		s.attemptDefaults(&r.Attempt)
		rows[i] = s.attemptArgs(&r.Attempt)
	}
	// A batch that announces something commits durably: the events it
	// stores are promised to their destinations like any other.
	inTx := s.inRelaxedTx
	if slices.ContainsFunc(results, func(r *hookhub.AttemptResult) bool { return r.Announce != nil }) {
		inTx = s.inTx
	}
	var updated map[string]updatedDelivery
	err := inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if updated, err = s.moveDeliveries(ctx, tx, results); err != nil {
			return err
		}
		if err := s.insertAttempts(ctx, tx, results, rows, updated); err != nil {
			return err
		}
		if err := s.countFailures(ctx, tx, failureCounts(results, updated)); err != nil {
			return err
		}
		return s.saveAnnouncements(ctx, tx, results, updated)
	})
	if err != nil {
		return s.check(err, "complete attempts")
	}
	for _, r := range results {
		u, ok := updated[r.Attempt.DeliveryID]
		r.Stale = !ok
		if ok && r.Attempt.Number == 0 {
			r.Attempt.Number = u.attemptCount
		}
	}
	return nil
}

// updatedDelivery is what moving a delivery on returned.
type updatedDelivery struct {
	destinationID string
	attemptCount  int
}

// nextState is a delivery's state after an attempt, and the lease it was
// made under; deliveries going to the same state from the same claim are
// moved by one statement.
type nextState struct {
	status    string
	nextAt    time.Time
	lastError string
	token     string
}

func (s *Store) moveDeliveries(ctx context.Context, tx *sql.Tx, results []*hookhub.AttemptResult) (map[string]updatedDelivery, error) {
	groups := map[nextState][]string{}
	var states []nextState
	for _, r := range results {
		st := nextState{r.Status, r.NextAttemptAt, cleanText(r.LastError), r.LeaseToken}
		if _, ok := groups[st]; !ok {
			states = append(states, st)
		}
		groups[st] = append(groups[st], r.Attempt.DeliveryID)
	}
	now := s.d.t(s.stamp(time.Time{}))
	updated := map[string]updatedDelivery{}
	for _, st := range states {
		// Only a pending delivery has a next attempt, which is a retry.
		var trigger any
		if st.status == hookhub.DeliveryPending {
			trigger = hookhub.TriggerRetry
		}
		ids := groups[st]
		sort.Strings(ids)
		for _, ids := range sizedIDChunks(ids, maxParams-6) {
			query := `UPDATE deliveries SET status = ?, next_trigger = COALESCE(?, next_trigger),
				attempt_count = attempt_count + 1, next_attempt_at = COALESCE(?, next_attempt_at),
				last_error = ?, lease_until = NULL, lease_token = '', updated_at = ?
				WHERE status = 'pending' AND lease_token = ? AND id IN (` + placeholders(len(ids)) + `)
				RETURNING id, destination_id, attempt_count`
			args := append([]any{st.status, trigger, s.d.t(st.nextAt), st.lastError, now, st.token}, anys(ids)...)
			if err := s.scanUpdated(ctx, tx, query, args, updated); err != nil {
				return nil, fmt.Errorf("move deliveries on: %w", err)
			}
		}
	}
	return updated, nil
}

func (s *Store) scanUpdated(ctx context.Context, tx *sql.Tx, query string, args []any, into map[string]updatedDelivery) error {
	rows, err := s.txQuery(ctx, tx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var u updatedDelivery
		if err := rows.Scan(&id, &u.destinationID, &u.attemptCount); err != nil {
			return err
		}
		into[id] = u
	}
	return rows.Err()
}

// insertAttempts inserts the attempts whose deliveries were moved on, given
// their rows by result; an attempt numbered 0 takes its delivery's new count.
// The caller's attempts are numbered only once the transaction commits.
func (s *Store) insertAttempts(ctx context.Context, tx *sql.Tx, results []*hookhub.AttemptResult, rows [][]any, updated map[string]updatedDelivery) error {
	var kept [][]any
	for i, r := range results {
		u, ok := updated[r.Attempt.DeliveryID]
		if !ok {
			continue
		}
		row := rows[i]
		if r.Attempt.Number == 0 {
			row = slices.Clone(row) // a retried transaction numbers it again
			row[attemptNumberCol] = u.attemptCount
		}
		kept = append(kept, row)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO attempts (`+attemptCols+`)`, kept); err != nil {
		return fmt.Errorf("insert attempts: %w", err)
	}
	return nil
}

// saveAnnouncements stores the events announced by the results that
// counted.
func (s *Store) saveAnnouncements(ctx context.Context, tx *sql.Tx, results []*hookhub.AttemptResult, updated map[string]updatedDelivery) error {
	var batch []*hookhub.NewEvent
	for _, r := range results {
		if _, ok := updated[r.Attempt.DeliveryID]; ok && r.Announce != nil {
			batch = append(batch, r.Announce)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	rows, err := s.encodeEvents(batch)
	if err != nil {
		return err
	}
	out, err := s.saveEvents(ctx, tx, batch, rows)
	if err != nil {
		return fmt.Errorf("store announcements: %w", err)
	}
	for i, ne := range batch {
		out[i].applyTo(ne)
	}
	return nil
}

// failureCount is the change to one destination's consecutive failures: reset
// to add when a success came in the batch, else increased by add.
type failureCount struct {
	reset bool
	add   int
}

// failureCounts folds a batch's results, in order, into one change per
// destination: a success resets the count, a final failure adds one, and a
// retry still pending leaves it alone.
func failureCounts(results []*hookhub.AttemptResult, updated map[string]updatedDelivery) map[string]failureCount {
	counts := map[string]failureCount{}
	for _, r := range results {
		u, ok := updated[r.Attempt.DeliveryID]
		if !ok {
			continue
		}
		c := counts[u.destinationID]
		switch r.Status {
		case hookhub.DeliverySucceeded:
			c = failureCount{reset: true}
		case hookhub.DeliveryFailed:
			c.add++
		}
		counts[u.destinationID] = c
	}
	return counts
}

func (s *Store) countFailures(ctx context.Context, tx *sql.Tx, counts map[string]failureCount) error {
	ids := make([]string, 0, len(counts))
	for id, c := range counts {
		if c.reset || c.add > 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := counts[id]
		query, args := `UPDATE destinations SET consecutive_failures = consecutive_failures + ? WHERE id = ?`, []any{c.add, id}
		if c.reset {
			// A healthy destination's count is already what it is reset to
			// (0 after a success): its row is then left alone, so processes
			// recording successes to one destination never queue for its
			// row lock, and SQLite writes no page for it.
			query, args = `UPDATE destinations SET consecutive_failures = ? WHERE id = ? AND consecutive_failures <> ?`, []any{c.add, id, c.add}
		}
		if _, err := s.txExec(ctx, tx, query, args...); err != nil {
			return fmt.Errorf("count failures of destination %s: %w", id, err)
		}
	}
	return nil
}
