package sqlstore

import (
	"context"
	"database/sql"

	"github.com/hookhub/hookhub"
)

// CreateUser stores a new user; a taken username is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *hookhub.User) error {
	return s.check(s.insertUser(ctx, s.write, u), "create user")
}

// execer is a pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) insertUser(ctx context.Context, db execer, u *hookhub.User) error {
	if u.ID == "" {
		u.ID = hookhub.NewID(hookhub.PrefixUser)
	}
	u.CreatedAt = s.stamp(u.CreatedAt)
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO users (id, username, password_hash, admin, created_at)
		VALUES (?, ?, ?, ?, ?)`), u.ID, u.Username, u.PasswordHash, u.Admin, s.d.t(u.CreatedAt))
	return err
}

// GetUserByUsername returns the user with the given username.
func (s *Store) GetUserByUsername(ctx context.Context, username string) (*hookhub.User, error) {
	var u hookhub.User
	err := s.read.QueryRowContext(ctx, s.q(`SELECT id, username, password_hash, admin, created_at
		FROM users WHERE username = ?`), username).Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Admin, tm(&u.CreatedAt))
	if err != nil {
		return nil, s.found(err, "user", username)
	}
	return &u, nil
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, s.check(err, "count users")
	}
	return n, nil
}

// CreateAPIKey stores a new API key (only its hash).
func (s *Store) CreateAPIKey(ctx context.Context, k *hookhub.APIKey) error {
	return s.check(s.insertAPIKey(ctx, s.write, k), "create API key")
}

func (s *Store) insertAPIKey(ctx context.Context, db execer, k *hookhub.APIKey) error {
	if k.ID == "" {
		k.ID = hookhub.NewID(hookhub.PrefixAPIKey)
	}
	k.CreatedAt = s.stamp(k.CreatedAt)
	if !k.LastUsedAt.IsZero() {
		k.LastUsedAt = s.stamp(k.LastUsedAt)
	}
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO api_keys (id, name, user_id, hash, created_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?)`), k.ID, k.Name, nullStr(k.UserID), bytesOrEmpty(k.Hash), s.d.t(k.CreatedAt), s.d.t(k.LastUsedAt))
	return err
}

// BootstrapAdmin creates the first user and its API key in one transaction,
// unless the store has a user already. Processes that start together on an
// empty database take the start-up lock in turn (on SQLite, the write lock),
// so exactly one creates them and the others see it done.
func (s *Store) BootstrapAdmin(ctx context.Context, u *hookhub.User, k *hookhub.APIKey) (created bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		created = false
		if err := s.lockMigrations(tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n > 0 {
			return err
		}
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		k.UserID = u.ID
		if err := s.insertAPIKey(ctx, tx, k); err != nil {
			return err
		}
		created = true
		return nil
	})
	if err != nil {
		return false, s.check(err, "bootstrap admin")
	}
	return created, nil
}

// GetAPIKey returns the API key with the given ID.
func (s *Store) GetAPIKey(ctx context.Context, id string) (*hookhub.APIKey, error) {
	var k hookhub.APIKey
	err := s.read.QueryRowContext(ctx, s.q(`SELECT id, name, user_id, hash, created_at, last_used_at
		FROM api_keys WHERE id = ?`), id).Scan(&k.ID, &k.Name, str(&k.UserID), &k.Hash, tm(&k.CreatedAt), tm(&k.LastUsedAt))
	if err != nil {
		return nil, s.found(err, "API key", id)
	}
	return &k, nil
}
