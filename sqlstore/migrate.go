package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/hookhub/hookhub"
)

// migrationFiles holds the numbered migrations of every dialect, under
// migrations/<dialect>/NNN_name.sql.
//
//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int    // NNN, the order of application
	Name    string // file name without .sql, recorded in schema_migrations
	SQL     string // statements run in one transaction
}

// Migrations returns the dialect's embedded migrations in version order.
func (d Dialect) Migrations() ([]Migration, error) {
	dir := path.Join("migrations", d.Name)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		m, err := parseMigration(dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a version", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

func parseMigration(dir, file string) (Migration, error) {
	num, _, ok := strings.Cut(file, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || !strings.HasSuffix(file, ".sql") {
		return Migration{}, fmt.Errorf("migration %s: name must be NNN_name.sql", file)
	}
	b, err := migrationFiles.ReadFile(path.Join(dir, file))
	if err != nil {
		return Migration{}, fmt.Errorf("read migration %s: %w", file, err)
	}
	return Migration{Version: v, Name: strings.TrimSuffix(file, ".sql"), SQL: string(b)}, nil
}

// Migrate applies every pending migration, each in its own transaction
// together with its row in schema_migrations.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := s.d.Migrations()
	if err != nil {
		return err
	}
	if err := s.inTx(ctx, s.createMigrationsTable); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.apply(ctx, tx, m) }); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

func (s *Store) createMigrationsTable(tx *sql.Tx) error {
	if err := s.lockMigrations(tx); err != nil {
		return err
	}
	_, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at ` + s.d.timeType + ` NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

// apply runs m unless another process already has; the lock makes the check
// and the change one step.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, m Migration) error {
	if err := s.lockMigrations(tx); err != nil {
		return err
	}
	var n int
	err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	// No parameters: the PostgreSQL driver then accepts several statements.
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, s.d.t(s.now()))
	return err
}

func (s *Store) lockMigrations(tx *sql.Tx) error {
	if s.d.migrationLock == "" {
		return nil
	}
	if _, err := tx.Exec(s.d.migrationLock); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	return nil
}

// Ready reports whether the database answers and has every migration applied.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		// The cause is kept for logs but not in the message, which clients see.
		return fmt.Errorf("%w: %w", hookhub.Errorf(hookhub.EUNAVAILABLE, "database does not answer"), err)
	}
	ms, err := s.d.Migrations()
	if err != nil {
		return err
	}
	applied, err := s.appliedVersions(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", hookhub.Errorf(hookhub.EUNAVAILABLE, "database is not migrated"), err)
	}
	for _, m := range ms {
		if !applied[m.Version] {
			return hookhub.Errorf(hookhub.EUNAVAILABLE, "migration %s is not applied", m.Name)
		}
	}
	return nil
}

func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}
