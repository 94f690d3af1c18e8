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
// and not leased, earliest due first, in one statement, under a fresh lease
// token that their results must carry (see CompleteAttempts). On PostgreSQL the
// subquery skips rows another claimer has locked, so concurrent claimers get
// disjoint sets without waiting; SQLite runs one writer at a time.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*hookhub.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = s.stamp(now)
	query := `UPDATE deliveries SET lease_until = ?, lease_token = ?
		WHERE id IN (SELECT id FROM deliveries
			WHERE status = 'pending' AND held = FALSE AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY next_attempt_at LIMIT ? ` + s.d.claimLock + `)
		RETURNING ` + deliverySelectCols
	// A lease need not survive a power failure: it would only have expired.
	var list []*hookhub.Delivery
	err := s.inRelaxedTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.txQuery(ctx, tx, query, s.d.t(now.Add(lease)), newLeaseToken(), s.d.t(now), s.d.t(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		list, err = scanAll(rows, scanDelivery)
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
