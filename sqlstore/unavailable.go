package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/hookhub/hookhub"
)

// errUnavailable marks a failure of the database itself, not of the request:
// callers answer 503 and the sender retries.
var errUnavailable = hookhub.Errorf(hookhub.EUNAVAILABLE, "the database is unavailable; retry later")

// unavailable reports whether err says the database could not be reached or
// did not answer in time, whatever the driver: a deadline passed, a
// connection broke or was refused, or the pool is closed. Dialect codes
// (SQLSTATE class 08, SQLITE_BUSY, …) are read by the dialect's code.
func unavailable(err error) bool {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.As(err, &ne):
		return true
	}
	// database/sql and pgx say these in words only.
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "failed to connect")
}

// SQLite's primary result codes that say the database cannot serve now.
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

func sqliteUnavailable(code int) bool {
	switch code & 0xff {
	case sqliteBusy, sqliteLocked, sqliteIOErr, sqliteFull, sqliteCantOpen:
		return true
	}
	return false
}

// postgresUnavailable reports SQLSTATEs of a server that cannot serve now:
// connection exceptions (class 08), insufficient resources (class 53: disk
// full, out of memory, too many connections), and an operator's shutdown or
// a server still starting (57P01–57P03).
func postgresUnavailable(state string) bool {
	return strings.HasPrefix(state, "08") || strings.HasPrefix(state, "53") ||
		state == "57P01" || state == "57P02" || state == "57P03"
}
