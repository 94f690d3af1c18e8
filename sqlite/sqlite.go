// Package sqlite is Hookhub's embedded store: one SQLite file, through the
// pure-Go modernc.org/sqlite driver (chosen by measurement, see
// docs/sqlite-driver.md). The queries live in sqlstore; this package opens the
// file durably and splits reads from writes.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a hookhub.Store in a SQLite file.
type Store struct {
	*sqlstore.Store
	ckpt *checkpointer
}

var _ hookhub.Store = (*Store)(nil)

// Connection settings. synchronous=FULL makes every commit reach the disk
// before it returns: a 2xx to a sender means the event is on disk. WAL lets
// readers run while the writer commits; busy_timeout covers other processes
// (such as a backup) holding a lock.
const (
	common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	// IMMEDIATE transactions take the write lock at BEGIN, so a transaction
	// never fails halfway when upgrading from reading to writing.
	// temp_store=MEMORY keeps statement journals (multi-row inserts with
	// conflict clauses write one) off the disk: they never need to survive.
	// The checkpointer copies the WAL into the database on its own
	// connection so that commits do not wait for it; the writer's own
	// checkpoint, which starts the WAL over, runs only when the WAL reaches
	// 16,000 pages (64 MB), and then has little left to copy.
	writerParams = common + "&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)" +
		"&_pragma=wal_autocheckpoint(16000)&_txlock=immediate"
	readerParams = common + "&_pragma=query_only(1)"
	ckptParams   = common + "&_pragma=synchronous(FULL)"
)

// Open opens (creating if needed) the database file at path, migrates it,
// and returns the store. Secret settings are sealed with box.
func Open(ctx context.Context, path string, box *secret.Box) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	write, err := openPool(ctx, path, writerParams, 1)
	if err != nil {
		return nil, fmt.Errorf("open %s for writing: %w", path, err)
	}
	read, err := openPool(ctx, path, readerParams, max(4, runtime.NumCPU()))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	s := sqlstore.New(sqlstore.SQLite(), read, write, box)
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	ckpt, err := openPool(ctx, path, ckptParams, 1)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s for checkpoints: %w", path, err)
	}
	return &Store{Store: s, ckpt: startCheckpointer(ckpt, checkpointEvery)}, nil
}

// Close stops the checkpointer and closes the database.
func (s *Store) Close() error {
	s.ckpt.stop()
	return s.Store.Close()
}

// createPrivate creates the database file readable by its owner only, before
// SQLite does it with default permissions; the WAL and shared-memory files
// inherit the file's mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	return f.Close()
}

// openPool opens a pool of at most n connections with the given parameters.
// The writer pool has one connection: SQLite has one writer at a time, and
// writers that wait in Go for the connection never see SQLITE_BUSY.
func openPool(ctx context.Context, path, params string, n int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, params))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds a file: URI; the characters that URIs give meaning to are escaped
// in the path.
func dsn(path, params string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?" + params
}
