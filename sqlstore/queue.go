package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"sort"
	"time"

	"github.com/hookhub/hookhub"
)

// ClaimDeliveries leases up to limit pending deliveries that are due at now
// and not leased, earliest due first, under a fresh lease token that their
// results must carry (see CompleteAttempts). An ordered delivery is claimed
// only while no other pending delivery of its destination and ordering key
// is earlier or leased (see blockedOrdered), so each key sends one at a time,
// in order. On PostgreSQL concurrent claimers skip each other's rows without
// waiting; SQLite runs one writer at a time.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*hookhub.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = s.stamp(now)
	c := claim{until: s.d.t(now.Add(lease)), token: newLeaseToken(), now: s.d.t(now), limit: limit}
	// A lease need not survive a power failure: it would only have expired.
	var list []*hookhub.Delivery
	err := s.inRelaxedTx(ctx, func(tx *sql.Tx) (err error) {
		if s.d.claimLock == "" {
			list, err = s.claimOneWriter(ctx, tx, c)
		} else {
			list, err = s.claimConcurrent(ctx, tx, c)
		}
		return err
	})
	if err != nil {
		return nil, s.check(err, "claim deliveries")
	}
	// RETURNING has no order of its own.
	sort.Slice(list, func(i, j int) bool {
		if !list[i].NextAttemptAt.Equal(list[j].NextAttemptAt) {
			return list[i].NextAttemptAt.Before(list[j].NextAttemptAt)
		}
		return list[i].ID < list[j].ID
	})
	return list, nil
}

// claim is one ClaimDeliveries call's parameters, encoded for the dialect.
type claim struct {
	until, token, now any
	limit             int
}

// claimDue selects the due, unleased, unheld pending deliveries.
const claimDue = `status = 'pending' AND held = FALSE AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`

// blockedOrdered holds back an ordered delivery d while another pending
// delivery of its destination and key is earlier (it goes first: a retry
// waiting on its schedule, or a held one, holds those behind it) or leased
// (being sent: whatever its place, the key sends one at a time). Its one
// parameter is now.
const blockedOrdered = `EXISTS (SELECT 1 FROM deliveries b
	WHERE b.destination_id = d.destination_id AND b.ordering_key = d.ordering_key AND b.status = 'pending'
	AND b.id <> d.id AND (b.seq < d.seq OR b.lease_until > ?))`

// claimOneWriter claims in one statement: with one writer at a time, what
// the statement reads cannot change before it writes.
func (s *Store) claimOneWriter(ctx context.Context, tx *sql.Tx, c claim) ([]*hookhub.Delivery, error) {
	query := `UPDATE deliveries SET lease_until = ?, lease_token = ?
		WHERE id IN (SELECT id FROM deliveries d WHERE ` + claimDue + `
			AND (ordering_key IS NULL OR NOT ` + blockedOrdered + `)
			ORDER BY next_attempt_at LIMIT ?)
		RETURNING ` + deliverySelectCols
	rows, err := s.txQuery(ctx, tx, query, c.until, c.token, c.now, c.now, c.now, c.limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanAll(rows, scanDelivery)
}

// claimConcurrent claims where other processes claim at the same time. The
// first statement picks due rows, skipping those another claimer has
// locked, and for an ordered one takes its key's advisory lock (held until
// commit) or skips it. Any other claim of that key has then committed, so
// the second statement, which reads afresh, sees its lease and cannot claim
// a second delivery of the key while one is out. Unordered rows cost what
// they did before: the lock and the checks only touch ordered ones.
func (s *Store) claimConcurrent(ctx context.Context, tx *sql.Tx, c claim) ([]*hookhub.Delivery, error) {
	pick := `SELECT id, ordering_key IS NOT NULL FROM deliveries d WHERE ` + claimDue + `
		AND (ordering_key IS NULL OR (NOT ` + blockedOrdered + `
			AND pg_try_advisory_xact_lock(7243112, hashtext(destination_id || ':' || ordering_key))))
		ORDER BY next_attempt_at LIMIT ? ` + s.d.claimLock
	rows, err := s.txQuery(ctx, tx, pick, c.now, c.now, c.now, c.limit)
	if err != nil {
		return nil, err
	}
	var ids []any
	ordered := false
	for rows.Next() {
		var id string
		var o bool
		if err := rows.Scan(&id, &o); err != nil {
			rows.Close()
			return nil, err
		}
		ids, ordered = append(ids, id), ordered || o
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, err
	}
	if ordered {
		// The lease of an ordered delivery must outlive a crash of the
		// database: a lost one would let another process send the key too.
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = on"); err != nil {
			return nil, err
		}
	}
	query := `UPDATE deliveries d SET lease_until = ?, lease_token = ?
		WHERE id IN (` + placeholders(len(ids)) + `) AND (ordering_key IS NULL OR NOT ` + blockedOrdered + `)
		RETURNING ` + deliverySelectCols
	args := append(append([]any{c.until, c.token}, ids...), c.now)
	urows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer urows.Close()
	return scanAll(urows, scanDelivery)
}

// HoldDelivery holds a pending delivery claimed for a destination that was
// paused meanwhile and ends its lease. It reads the pause state again, locked
// against a concurrent resume, so that a delivery is never held for a
// destination the resume has already released.
func (s *Store) HoldDelivery(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var paused bool
		err := tx.QueryRowContext(ctx, s.q(`SELECT paused FROM destinations
			WHERE id = (SELECT destination_id FROM deliveries WHERE id = ?) `+s.d.lockRows), id).Scan(&paused)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // gone with its destination
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE deliveries SET held = ?, lease_until = NULL, lease_token = ''
			WHERE id = ? AND status = 'pending'`), paused, id)
		return err
	})
	return s.check(err, "hold delivery")
}

// ReleaseHeld releases the held deliveries of every destination that is not
// paused. One query finds those destinations, probing each one's held index
// entries, so the queues of paused destinations are never scanned.
func (s *Store) ReleaseHeld(ctx context.Context) (int64, error) {
	ids, err := queryAll(ctx, s, `SELECT id FROM destinations d WHERE paused = FALSE
		AND EXISTS (SELECT 1 FROM deliveries WHERE destination_id = d.id AND held = TRUE)`, nil, scanString)
	if err != nil {
		return 0, s.check(err, "release held deliveries")
	}
	var n int64
	for _, id := range ids {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// Only if the destination is still not paused: a pause may
			// have begun since it was listed.
			res, err := tx.ExecContext(ctx, s.q(`UPDATE deliveries SET held = FALSE
				WHERE destination_id = ? AND held = TRUE
				AND EXISTS (SELECT 1 FROM destinations WHERE id = ? AND paused = FALSE)`), id, id)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			n += k
			return err
		})
		if err != nil {
			return n, s.check(err, "release held deliveries")
		}
	}
	return n, nil
}

// newLeaseToken returns the token of one claim: random, so that no two
// claims, in any process, share one.
func newLeaseToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
