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
	// One count per minute over the primary key's range: the key index
	// answers it without reading the (large) rows.
	for i := range st.EventsPerMinute {
		from := since.Add(time.Duration(i) * time.Minute)
		var n int
		err := s.read.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM events WHERE id >= ? AND id < ?`),
			hookhub.FirstIDAt(hookhub.PrefixEvent, from), hookhub.FirstIDAt(hookhub.PrefixEvent, from.Add(time.Minute))).Scan(&n)
		if err != nil {
			return nil, s.check(err, "count events")
		}
		st.EventsPerMinute[i] = n
	}
	var err error
	err = s.countKeys(ctx, `SELECT status, COUNT(*) FROM deliveries WHERE id >= ? GROUP BY status`,
		[]any{hookhub.FirstIDAt(hookhub.PrefixDelivery, since)}, st.Deliveries)
	if err != nil {
		return nil, s.check(err, "count deliveries")
	}
	err = s.countKeys(ctx, `SELECT severity, COUNT(*) FROM incidents WHERE status IN ('triggered', 'acknowledged') GROUP BY severity`,
		nil, st.OpenIncidents)
	return st, s.check(err, "count incidents")
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
