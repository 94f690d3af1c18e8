package sqlstore

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// Dialect is what differs between the databases the store runs on. Queries are
// written once with ? placeholders; everything else is the same SQL.
type Dialect struct {
	// Name is "sqlite" or "postgres"; it also names the migrations directory.
	Name string
	// numbered rewrites ? placeholders as $1, $2, … (PostgreSQL).
	numbered bool
	// Row locks end some SELECTs in write transactions. SQLite needs none: it
	// has one writer at a time. claimLock: rows that concurrent claimers skip
	// rather than wait on. lockRows: rows read to decide a change to them.
	// shareRows: rows that must not be deleted until the transaction ends.
	// changeRows: a row read to change it, without blocking the share
	// locks of others that only need it to exist.
	claimLock, lockRows, shareRows, changeRows string
	// notifies: changes to watched objects are announced to other
	// processes with pg_notify (see Store.Notice).
	notifies bool
	// migrationLock, when set, runs first in every migration transaction so
	// that processes starting together apply each migration once.
	migrationLock string
	// timeValue encodes a time for a parameter: microseconds since the epoch
	// in SQLite's INTEGER columns, a time.Time for PostgreSQL's timestamptz.
	timeValue func(time.Time) any
	// timeType is the column type of times, for the one table made in Go.
	timeType string
	// code maps a driver error to a domain error code, or "".
	code func(error) string
	// cacheStmts keeps hot statements prepared (see stmtCache).
	cacheStmts bool
	// Relaxed commits (see inRelaxedTx): relaxBefore and relaxAfter run on
	// the connection around the transaction, relaxInTx first inside it.
	relaxBefore, relaxAfter, relaxInTx string
}

// SQLite is the dialect of SQLite 3.35 or newer (for RETURNING).
func SQLite() Dialect {
	return Dialect{
		Name:        "sqlite",
		timeValue:   func(t time.Time) any { return t.UnixMicro() },
		timeType:    "INTEGER",
		code:        sqliteCode,
		cacheStmts:  true,
		relaxBefore: "PRAGMA synchronous = NORMAL",
		relaxAfter:  "PRAGMA synchronous = FULL",
	}
}

// Postgres is the dialect of PostgreSQL 13 or newer.
func Postgres() Dialect {
	return Dialect{
		Name:          "postgres",
		numbered:      true,
		claimLock:     "FOR UPDATE SKIP LOCKED",
		lockRows:      "FOR UPDATE",
		shareRows:     "FOR KEY SHARE",
		changeRows:    "FOR NO KEY UPDATE",
		notifies:      true,
		migrationLock: "SELECT pg_advisory_xact_lock(7243111)", // any constant shared by all Hookhub processes
		timeValue:     func(t time.Time) any { return t },
		timeType:      "TIMESTAMPTZ",
		code:          postgresCode,
		relaxInTx:     "SET LOCAL synchronous_commit = off",
	}
}

// rebind rewrites ? placeholders for the dialect, leaving quoted text alone.
func (d Dialect) rebind(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// t encodes a time parameter; the zero time is NULL.
func (d Dialect) t(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.timeValue(t.UTC().Truncate(time.Microsecond))
}

// SQLite's extended result codes for constraint failures.
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// sqliteCode reads the extended result code of a modernc.org/sqlite error
// through an interface, so this package does not import the driver.
func sqliteCode(err error) string {
	var e interface{ Code() int }
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code() {
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		return hookhub.ECONFLICT
	case sqliteConstraintForeignKey:
		return hookhub.EINVALID
	}
	if sqliteUnavailable(e.Code()) {
		return hookhub.EUNAVAILABLE
	}
	return ""
}

// postgresCode reads the SQLSTATE of a pgx error through an interface.
func postgresCode(err error) string {
	var e interface{ SQLState() string }
	if !errors.As(err, &e) {
		return ""
	}
	switch e.SQLState() {
	case "23505": // unique_violation
		return hookhub.ECONFLICT
	case "23503": // foreign_key_violation
		return hookhub.EINVALID
	case "22021", "22P05": // character_not_in_repertoire, untranslatable_character: NUL or bad UTF-8
		return codeText
	}
	if postgresUnavailable(e.SQLState()) {
		return hookhub.EUNAVAILABLE
	}
	return ""
}
