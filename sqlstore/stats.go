package sqlstore

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
)

// Stats counts recent activity. IDs sort by creation time, so "since" is a
// range of the primary keys and no time index is needed.
func (s *Store) Stats(ctx context.Context, since time.Time) (*hookhub.Stats, error) {
	since = s.stamp(since)
	minutes := int(s.now().Sub(since)/time.Minute) + 1
	st := &hookhub.Stats{Since: since, EventsPerMinute: make([]int, max(minutes, 1)),
		Deliveries: map[string]int{}, OpenIncidents: map[string]int{}}
	err := s.countRows(ctx, `SELECT `+s.d.minuteSince+`, COUNT(*) FROM events WHERE id >= ? GROUP BY 1`,
		[]any{s.d.t(since), hookhub.FirstIDAt(hookhub.PrefixEvent, since)}, func(minute int64, n int) {
			if minute >= 0 && int(minute) < len(st.EventsPerMinute) {
				st.EventsPerMinute[minute] += n
			}
		})
	if err != nil {
		return nil, s.check(err, "count events")
	}
	err = s.countKeys(ctx, `SELECT status, COUNT(*) FROM deliveries WHERE id >= ? GROUP BY status`,
		[]any{hookhub.FirstIDAt(hookhub.PrefixDelivery, since)}, st.Deliveries)
	if err != nil {
		return nil, s.check(err, "count deliveries")
	}
	err = s.countKeys(ctx, `SELECT severity, COUNT(*) FROM incidents WHERE status IN ('triggered', 'acknowledged') GROUP BY severity`,
		nil, st.OpenIncidents)
	return st, s.check(err, "count incidents")
}

func (s *Store) countRows(ctx context.Context, query string, args []any, add func(int64, int)) error {
	rows, err := s.read.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		add(k, n)
	}
	return rows.Err()
}

func (s *Store) countKeys(ctx context.Context, query string, args []any, into map[string]int) error {
	rows, err := s.read.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		into[k] += n
	}
	return rows.Err()
}
