package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hookhub/hookhub"
)

// deliveryCols are the columns written when a delivery is created (a new
// delivery has no lease, so lease_token keeps its default); reads leave out
// lease_until, which only the queue needs.
const (
	deliveryCols       = `id, event_id, destination_id, status, next_trigger, attempt_count, next_attempt_at, lease_until, last_error, held, created_at, updated_at, ordering_key`
	deliverySelectCols = `id, event_id, destination_id, status, next_trigger, attempt_count, next_attempt_at, last_error, held, lease_token, created_at, updated_at, ordering_key`
)

func (s *Store) deliveryArgs(d *hookhub.Delivery) []any {
	return []any{d.ID, d.EventID, d.DestinationID, d.Status, d.Trigger, d.AttemptCount,
		s.d.t(d.NextAttemptAt), nil, d.LastError, d.Held, s.d.t(d.CreatedAt), s.d.t(d.UpdatedAt), orderingKey(d)}
}

// orderingKey is the ordering_key column of d: NULL unless it is ordered.
func orderingKey(d *hookhub.Delivery) any {
	if !d.Ordered {
		return nil
	}
	return d.OrderingKey
}

func scanDelivery(row scanner) (*hookhub.Delivery, error) {
	var d hookhub.Delivery
	var key sql.NullString
	err := row.Scan(&d.ID, &d.EventID, &d.DestinationID, &d.Status, &d.Trigger, &d.AttemptCount,
		tm(&d.NextAttemptAt), &d.LastError, &d.Held, &d.LeaseToken, tm(&d.CreatedAt), tm(&d.UpdatedAt), &key)
	if err != nil {
		return nil, err
	}
	d.Ordered, d.OrderingKey = key.Valid, key.String
	return &d, nil
}

// AddDeliveries queues new deliveries of events already stored (replays), in
// one transaction. Unlike SaveEvents it drops nothing: a missing event or
// destination fails the batch with EINVALID.
func (s *Store) AddDeliveries(ctx context.Context, ds []*hookhub.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	for _, d := range ds {
		if d.NextAttemptAt.IsZero() {
			d.NextAttemptAt = s.now()
		}
		s.deliveryDefaults(d, &hookhub.Event{ID: d.EventID})
	}
	rows := make([][]any, len(ds))
	for i, d := range ds {
		rows[i] = s.deliveryArgs(d)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.insertRows(ctx, tx, `INSERT INTO deliveries (`+deliveryCols+`)`, rows)
	})
	return s.check(err, "add deliveries")
}

// GetDelivery returns the delivery with the given ID.
func (s *Store) GetDelivery(ctx context.Context, id string) (*hookhub.Delivery, error) {
	row := s.read.QueryRowContext(ctx, s.q(`SELECT `+deliverySelectCols+` FROM deliveries WHERE id = ?`), id)
	d, err := scanDelivery(row)
	return d, s.found(err, "delivery", id)
}

// ListDeliveries returns the deliveries matching f, newest first. Since is
// inclusive and Until exclusive, on the creation time.
func (s *Store) ListDeliveries(ctx context.Context, f hookhub.DeliveryFilter) ([]*hookhub.Delivery, string, error) {
	w := &where{}
	if f.DestinationID != "" {
		w.add("destination_id = ?", f.DestinationID)
	}
	if f.EventID != "" {
		w.add("event_id = ?", f.EventID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if !f.Since.IsZero() {
		w.add("created_at >= ?", s.d.t(f.Since))
	}
	if !f.Until.IsZero() {
		w.add("created_at < ?", s.d.t(f.Until))
	}
	query, args := pageQuery(`SELECT `+deliverySelectCols+` FROM deliveries`, w, f.Page)
	list, next, err := listPage(ctx, s, query, args, f.Page, scanDelivery, func(x *hookhub.Delivery) string { return x.ID })
	if err != nil {
		return nil, "", s.check(err, "list deliveries")
	}
	return list, next, nil
}

// RequeueDelivery makes a delivery pending again, due at now, with the given
// trigger. A lease held by a worker sending it right now is kept, with its
// token, so that the delivery is not sent twice at once and that worker's
// result still counts.
func (s *Store) RequeueDelivery(ctx context.Context, id, trigger string, now time.Time) (*hookhub.Delivery, error) {
	if trigger == "" {
		trigger = hookhub.TriggerManual
	}
	now = s.stamp(now)
	row := s.write.QueryRowContext(ctx, s.q(`UPDATE deliveries SET status = 'pending', next_trigger = ?,
		next_attempt_at = ?, updated_at = ?,
		lease_until = CASE WHEN status = 'pending' THEN lease_until ELSE NULL END,
		lease_token = CASE WHEN status = 'pending' THEN lease_token ELSE '' END
		WHERE id = ? RETURNING `+deliverySelectCols), trigger, s.d.t(now), s.d.t(now), id)
	d, err := scanDelivery(row)
	if err != nil {
		return nil, s.found(err, "delivery", id)
	}
	return d, nil
}

// RequeueFailed requeues, due at now, every failed delivery of a destination
// created in [since, until); a zero bound is open.
func (s *Store) RequeueFailed(ctx context.Context, destinationID string, since, until, now time.Time) (int, error) {
	w := &where{}
	w.add("destination_id = ?", destinationID)
	w.add("status = 'failed'")
	if !since.IsZero() {
		w.add("created_at >= ?", s.d.t(since))
	}
	if !until.IsZero() {
		w.add("created_at < ?", s.d.t(until))
	}
	now = s.stamp(now)
	args := append([]any{hookhub.TriggerManual, s.d.t(now), s.d.t(now)}, w.args...)
	res, err := s.write.ExecContext(ctx, s.q(`UPDATE deliveries SET status = 'pending', next_trigger = ?,
		next_attempt_at = ?, updated_at = ?, lease_until = NULL, lease_token = ''`+w.String()), args...)
	if err != nil {
		return 0, s.check(err, "requeue failed deliveries")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("requeue failed deliveries: %w", err)
	}
	return int(n), nil
}
