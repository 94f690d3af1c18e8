package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"github.com/hookhub/hookhub"
)

// ClaimDeliveries leases up to limit pending deliveries that are due at now
// and not leased, earliest due first, in one statement. On PostgreSQL the
// subquery skips rows another claimer has locked, so concurrent claimers get
// disjoint sets without waiting; SQLite runs one writer at a time.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*hookhub.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = s.stamp(now)
	query := `UPDATE deliveries SET lease_until = ?
		WHERE id IN (SELECT id FROM deliveries
			WHERE status = 'pending' AND held = FALSE AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY next_attempt_at LIMIT ? ` + s.d.claimLock + `)
		RETURNING ` + deliverySelectCols
	// A lease need not survive a power failure: it would only have expired.
	var list []*hookhub.Delivery
	err := s.inRelaxedTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.txQuery(ctx, tx, query, s.d.t(now.Add(lease)), s.d.t(now), s.d.t(now), limit)
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
// paused meanwhile and ends its lease; resuming the destination releases it.
func (s *Store) HoldDelivery(ctx context.Context, id string) error {
	_, err := s.write.ExecContext(ctx, s.q(`UPDATE deliveries SET held = TRUE, lease_until = NULL
		WHERE id = ? AND status = 'pending'`), id)
	return s.check(err, "hold delivery")
}
