package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/hookhub/hookhub"
)

const userCols = `id, username, password_hash, role, created_at, updated_at`

func scanUser(row scanner) (*hookhub.User, error) {
	var u hookhub.User
	if err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, tm(&u.CreatedAt), tm(&u.UpdatedAt)); err != nil {
		return nil, err
	}
	return &u, nil
}

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
	if u.Role == "" {
		u.Role = hookhub.RoleViewer
	}
	u.CreatedAt = s.stamp(u.CreatedAt)
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	u.UpdatedAt = s.stamp(u.UpdatedAt)
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?)`),
		u.ID, u.Username, u.PasswordHash, u.Role, s.d.t(u.CreatedAt), s.d.t(u.UpdatedAt))
	return err
}

// GetUser returns the user with the given ID.
func (s *Store) GetUser(ctx context.Context, id string) (*hookhub.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if err != nil {
		return nil, s.found(err, "user", id)
	}
	return u, nil
}

// GetUserByUsername returns the user with the given username.
func (s *Store) GetUserByUsername(ctx context.Context, username string) (*hookhub.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE username = ?`), username))
	if err != nil {
		return nil, s.found(err, "user", username)
	}
	return u, nil
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, s.check(err, "count users")
	}
	return n, nil
}

// ListUsers returns every user by username: a team, not a big table.
func (s *Store) ListUsers(ctx context.Context) ([]*hookhub.User, error) {
	list, err := queryAll(ctx, s, `SELECT `+userCols+` FROM users ORDER BY username`, nil, scanUser)
	return list, s.check(err, "list users")
}

// UpdateUser saves a user's username, password hash and role, lowers its API
// keys to at most that role, and refuses to leave no admin.
func (s *Store) UpdateUser(ctx context.Context, u *hookhub.User) error {
	u.UpdatedAt = s.stamp(u.UpdatedAt)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockAdmins(ctx, tx); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET username = ?, password_hash = ?, role = ?, updated_at = ? WHERE id = ?`),
			u.Username, u.PasswordHash, u.Role, s.d.t(u.UpdatedAt), u.ID)
		if err := s.affected(res, err, "update user", "user", u.ID); err != nil {
			return err
		}
		higher := higherRoles(u.Role)
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE api_keys SET role = ? WHERE user_id = ? AND role IN (`+
			placeholders(len(higher))+`)`), append([]any{u.Role, u.ID}, higher...)...); err != nil {
			return s.check(err, "lower API key roles")
		}
		return s.keepAnAdmin(ctx, tx)
	})
}

// higherRoles returns the roles more powerful than role.
func higherRoles(role string) []any {
	var out []any
	for _, r := range hookhub.Roles {
		if r != role && hookhub.RoleAllows(r, role) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		// IN () is not SQL: match nothing instead.
		out = append(out, "")
	}
	return out
}

// DeleteUser deletes a user with its sessions and keys (by cascade), but
// never the last admin.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockAdmins(ctx, tx); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM users WHERE id = ?`), id)
		if err := s.affected(res, err, "delete user", "user", id); err != nil {
			return err
		}
		return s.keepAnAdmin(ctx, tx)
	})
}

// lockAdmins locks the admins' rows so that two changes racing to demote or
// delete the last two admins cannot both pass keepAnAdmin.
func (s *Store) lockAdmins(ctx context.Context, tx *sql.Tx) error {
	if s.d.lockRows == "" {
		return nil // SQLite: one writer at a time
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE role = 'admin' ORDER BY id `+s.d.lockRows)
	if err != nil {
		return s.check(err, "lock admins")
	}
	return rows.Close()
}

func (s *Store) keepAnAdmin(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
		return s.check(err, "count admins")
	}
	if n == 0 {
		return hookhub.Errorf(hookhub.ECONFLICT, "Hookhub must keep at least one admin")
	}
	return nil
}

const apiKeyCols = `id, name, user_id, role, hash, created_at, last_used_at`

func scanAPIKey(row scanner) (*hookhub.APIKey, error) {
	var k hookhub.APIKey
	if err := row.Scan(&k.ID, &k.Name, str(&k.UserID), &k.Role, &k.Hash, tm(&k.CreatedAt), tm(&k.LastUsedAt)); err != nil {
		return nil, err
	}
	return &k, nil
}

// CreateAPIKey stores a new API key (only its hash).
func (s *Store) CreateAPIKey(ctx context.Context, k *hookhub.APIKey) error {
	return s.check(s.insertAPIKey(ctx, s.write, k), "create API key")
}

func (s *Store) insertAPIKey(ctx context.Context, db execer, k *hookhub.APIKey) error {
	if k.ID == "" {
		k.ID = hookhub.NewID(hookhub.PrefixAPIKey)
	}
	if k.Role == "" {
		k.Role = hookhub.RoleViewer
	}
	k.CreatedAt = s.stamp(k.CreatedAt)
	if !k.LastUsedAt.IsZero() {
		k.LastUsedAt = s.stamp(k.LastUsedAt)
	}
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO api_keys (`+apiKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.Name, nullStr(k.UserID), k.Role, bytesOrEmpty(k.Hash), s.d.t(k.CreatedAt), s.d.t(k.LastUsedAt))
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
	k, err := scanAPIKey(s.read.QueryRowContext(ctx, s.q(`SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`), id))
	if err != nil {
		return nil, s.found(err, "API key", id)
	}
	return k, nil
}

// ListAPIKeys returns API keys newest first.
func (s *Store) ListAPIKeys(ctx context.Context, p hookhub.Page) ([]*hookhub.APIKey, string, error) {
	query, args := pageQuery(`SELECT `+apiKeyCols+` FROM api_keys`, &where{}, p)
	list, next, err := listPage(ctx, s, query, args, p, scanAPIKey, func(k *hookhub.APIKey) string { return k.ID })
	if err != nil {
		return nil, "", s.check(err, "list API keys")
	}
	return list, next, nil
}

// TouchAPIKey records when a key was last used.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, s.q(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`), s.d.t(s.stamp(at)), id)
	return s.affected(res, err, "touch API key", "API key", id)
}

// DeleteAPIKey deletes (revokes) an API key.
func (s *Store) DeleteAPIKey(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, s.q(`DELETE FROM api_keys WHERE id = ?`), id)
	return s.affected(res, err, "delete API key", "API key", id)
}
