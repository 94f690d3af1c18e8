// Package sqlstore implements hookhub.Store once, over database/sql, for both
// SQLite and PostgreSQL. The sqlite and postgres packages open the connections
// and pick the Dialect; everything else — queries, the queue, dedup, secrets
// at rest — lives here so that both databases behave the same.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
)

var _ hookhub.Store = (*Store)(nil)

// Store is a hookhub.Store on a SQL database.
type Store struct {
	// read serves queries and write serves changes. They are one pool on
	// PostgreSQL; on SQLite, write has a single connection (SQLite has one
	// writer) so writers queue in Go instead of failing with SQLITE_BUSY.
	read, write *sql.DB
	// rstmts and wstmts cache prepared statements on SQLite, whose driver
	// does not; nil on PostgreSQL, whose driver caches by itself.
	rstmts, wstmts *stmtCache
	d              Dialect
	box            *secret.Box
	now            func() time.Time
	// origin names this store in its change notifications; watch holds
	// the functions that hear of changes.
	origin string
	watch  watchers
	// repairedOnce: this store has repaired ordering heads since it opened
	// (see repairHeads).
	repairedOnce atomic.Bool
}

// New returns a Store over the given pools, which may be the same *sql.DB.
// It does not migrate; call Migrate.
func New(d Dialect, read, write *sql.DB, box *secret.Box) *Store {
	s := &Store{read: read, write: write, d: d, box: box, now: time.Now, origin: newOrigin()}
	if d.cacheStmts {
		s.rstmts, s.wstmts = newStmtCache(read), newStmtCache(write)
	}
	return s
}

// Close closes the connection pools.
func (s *Store) Close() error {
	if s.wstmts != nil {
		s.rstmts.close()
		s.wstmts.close()
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// q rebinds a query for the dialect.
func (s *Store) q(query string) string { return s.d.rebind(query) }

// check turns a driver error into a domain error where one applies (unique
// and foreign key violations, an unavailable database) and adds context to
// any other.
func (s *Store) check(err error, op string) error {
	if err == nil {
		return nil
	}
	switch s.d.code(err) {
	case hookhub.ECONFLICT:
		return hookhub.Errorf(hookhub.ECONFLICT, "%s: already exists", op)
	case hookhub.EINVALID:
		return hookhub.Errorf(hookhub.EINVALID, "%s: refers to something that does not exist", op)
	case codeText:
		return hookhub.Errorf(hookhub.EINVALID, "%s: text must be UTF-8 without NUL characters", op)
	case hookhub.EUNAVAILABLE:
		return fmt.Errorf("%w: %s: %w", errUnavailable, op, err)
	}
	if hookhub.ErrorCode(err) == hookhub.EINTERNAL && unavailable(err) {
		return fmt.Errorf("%w: %s: %w", errUnavailable, op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// codeText is the dialect code of text the database refuses (NUL, invalid
// UTF-8); check reports it as EINVALID.
const codeText = "text"

// found turns sql.ErrNoRows into ENOTFOUND for the named kind of object.
func (s *Store) found(err error, kind, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return hookhub.Errorf(hookhub.ENOTFOUND, "%s %q not found", kind, id)
	}
	return s.check(err, "get "+kind)
}

// inTx runs fn in a write transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.wstmts != nil {
		s.wstmts.preparePending(ctx)
	}
	return runTx(ctx, s.write, fn)
}

// runTx runs fn in a transaction begun on db (a pool or one connection),
// committing if it returns nil.
func runTx(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inRelaxedTx is inTx for changes that a power failure may undo without
// breaking a promise to anyone: a lease (it would expire), an attempt's
// record (the delivery would be sent again, which at-least-once allows). Such
// commits do not wait for the disk; the next durable commit (an ingest) makes
// them durable too. Acknowledged events never go through here.
func (s *Store) inRelaxedTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.d.relaxBefore == "" {
		return s.inTx(ctx, func(tx *sql.Tx) error {
			if s.d.relaxInTx != "" {
				if _, err := tx.ExecContext(ctx, s.d.relaxInTx); err != nil {
					return fmt.Errorf("relax commit: %w", err)
				}
			}
			return fn(tx)
		})
	}
	if s.wstmts != nil {
		s.wstmts.preparePending(ctx)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, s.d.relaxBefore); err != nil {
		return fmt.Errorf("relax commit: %w", err)
	}
	defer func() {
		// The connection must not go back to the pool relaxed, or the next
		// ingest commit would not be durable: on failure it is discarded.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), s.d.relaxAfter); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return runTx(ctx, conn, fn)
}

// stamp returns t, or the current time when t is zero, in UTC to the microsecond
// (the precision both databases keep).
func (s *Store) stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = s.now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// affected checks the result of a change to one object: ENOTFOUND when no row
// matched id.
func (s *Store) affected(res sql.Result, err error, op, kind, id string) error {
	if err != nil {
		return s.check(err, op)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return hookhub.Errorf(hookhub.ENOTFOUND, "%s %q not found", kind, id)
	}
	return nil
}
