package sqlstore

import (
	"context"
	"time"
)

// headRepairWindow is how far back a repair looks for deliveries left
// without a head. A key loses its head only when a delivery of it is stored
// while the key's last pending one finishes in another process; the repair,
// run every few seconds, finds such a delivery while it is new. The first
// repair of a process reads every waiting delivery, for what was left while
// no process ran.
const headRepairWindow = time.Minute

// repairHeads flags as its key's head every pending ordered delivery that is
// the earliest of its key but not flagged: the claim reads heads only, so
// such a key would otherwise wait for ever.
func (s *Store) repairHeads(ctx context.Context, now time.Time) (int64, error) {
	query := `UPDATE deliveries SET head = TRUE
		WHERE status = 'pending' AND ordering_key IS NOT NULL AND head = FALSE AND created_at >= ?
		AND NOT EXISTS (SELECT 1 FROM deliveries b WHERE b.destination_id = deliveries.destination_id
			AND b.ordering_key = deliveries.ordering_key AND b.status = 'pending' AND b.seq < deliveries.seq)`
	since := now.Add(-headRepairWindow)
	if !s.repairedOnce.Load() {
		since = time.Unix(0, 0)
	}
	res, err := s.write.ExecContext(ctx, s.q(query), s.d.t(since))
	if err != nil {
		return 0, err
	}
	s.repairedOnce.Store(true)
	return res.RowsAffected()
}
