package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/hookhub/hookhub"
)

const sessionCols = `id, user_id, created_at, last_seen_at, expires_at, client_ip, user_agent`

// CreateSession stores a new console session.
func (s *Store) CreateSession(ctx context.Context, ss *hookhub.Session) error {
	ss.CreatedAt = s.stamp(ss.CreatedAt)
	if ss.LastSeenAt.IsZero() {
		ss.LastSeenAt = ss.CreatedAt
	}
	ss.LastSeenAt, ss.ExpiresAt = s.stamp(ss.LastSeenAt), s.stamp(ss.ExpiresAt)
	_, err := s.write.ExecContext(ctx, s.q(`INSERT INTO sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		ss.ID, ss.UserID, s.d.t(ss.CreatedAt), s.d.t(ss.LastSeenAt), s.d.t(ss.ExpiresAt), ss.ClientIP, ss.UserAgent)
	return s.check(err, "create session")
}

// GetSession returns the session with the given ID (the token's hash).
func (s *Store) GetSession(ctx context.Context, id string) (*hookhub.Session, error) {
	var ss hookhub.Session
	err := s.read.QueryRowContext(ctx, s.q(`SELECT `+sessionCols+` FROM sessions WHERE id = ?`), id).Scan(
		&ss.ID, &ss.UserID, tm(&ss.CreatedAt), tm(&ss.LastSeenAt), tm(&ss.ExpiresAt), &ss.ClientIP, &ss.UserAgent)
	if err != nil {
		return nil, s.found(err, "session", "…")
	}
	return &ss, nil
}

// TouchSession moves a session's last activity.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE id = ?`), s.d.t(s.stamp(at)), id)
	return s.affected(res, err, "touch session", "session", "…")
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE id = ?`), id)
	return s.affected(res, err, "delete session", "session", "…")
}

// DeleteUserSessions ends every session of a user but except.
func (s *Store) DeleteUserSessions(ctx context.Context, userID, except string) (int, error) {
	res, err := s.write.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ? AND id <> ?`), userID, except)
	if err != nil {
		return 0, s.check(err, "delete sessions")
	}
	n, err := res.RowsAffected()
	return int(n), s.check(err, "delete sessions")
}

// PruneSessions deletes expired and idle sessions and old login failures.
func (s *Store) PruneSessions(ctx context.Context, now, idleBefore time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`),
			s.d.t(s.stamp(now)), s.d.t(s.stamp(idleBefore)))
		if err != nil {
			return s.check(err, "prune sessions")
		}
		if n, err = res.RowsAffected(); err != nil {
			return s.check(err, "prune sessions")
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM login_failures WHERE at < ?`), s.d.t(s.stamp(idleBefore)))
		return s.check(err, "prune login failures")
	})
	return int(n), err
}

// RecordLoginFailure notes one failed sign-in under each key.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO login_failures (failure_key, at) VALUES (?, ?)`),
				k, s.d.t(s.stamp(at))); err != nil {
				return s.check(err, "record login failure")
			}
		}
		return nil
	})
}

// CountLoginFailures counts key's failures since since.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM login_failures WHERE failure_key = ? AND at >= ?`),
		key, s.d.t(s.stamp(since))).Scan(&n)
	return n, s.check(err, "count login failures")
}

// ClearLoginFailures forgets the failures of keys.
func (s *Store) ClearLoginFailures(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := s.write.ExecContext(ctx, s.q(`DELETE FROM login_failures WHERE failure_key IN (`+placeholders(len(keys))+`)`), anys(keys)...)
	return s.check(err, "clear login failures")
}
