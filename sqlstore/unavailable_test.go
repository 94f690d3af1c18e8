package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/hookhub/hookhub"
)

type sqlStateError string

func (e sqlStateError) Error() string    { return "pg error " + string(e) }
func (e sqlStateError) SQLState() string { return string(e) }

type sqliteError int

func (e sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteError) Code() int     { return int(e) }

func TestCheckMapsUnavailableDatabases(t *testing.T) {
	t.Parallel()
	pg := &Store{d: Postgres()}
	lite := &Store{d: SQLite()}
	tests := []struct {
		name  string
		store *Store
		err   error
		want  string
	}{
		{"deadline", pg, fmt.Errorf("query: %w", context.DeadlineExceeded), hookhub.EUNAVAILABLE},
		{"bad connection", pg, driver.ErrBadConn, hookhub.EUNAVAILABLE},
		{"refused", pg, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, hookhub.EUNAVAILABLE},
		{"cut mid-answer", pg, fmt.Errorf("read: %w", io.ErrUnexpectedEOF), hookhub.EUNAVAILABLE},
		{"closed pool", lite, errors.New("sql: database is closed"), hookhub.EUNAVAILABLE},
		{"admin shutdown", pg, sqlStateError("57P01"), hookhub.EUNAVAILABLE},
		{"connection failure", pg, sqlStateError("08006"), hookhub.EUNAVAILABLE},
		{"too many connections", pg, sqlStateError("53300"), hookhub.EUNAVAILABLE},
		{"unique violation", pg, sqlStateError("23505"), hookhub.ECONFLICT},
		{"syntax error", pg, sqlStateError("42601"), hookhub.EINTERNAL},
		{"sqlite busy", lite, sqliteError(5), hookhub.EUNAVAILABLE},
		{"sqlite busy snapshot", lite, sqliteError(517), hookhub.EUNAVAILABLE},
		{"sqlite disk full", lite, sqliteError(13), hookhub.EUNAVAILABLE},
		{"sqlite unique", lite, sqliteError(2067), hookhub.ECONFLICT},
		{"sqlite misuse", lite, sqliteError(21), hookhub.EINTERNAL},
		{"a domain error stays", pg, hookhub.Errorf(hookhub.ENOTFOUND, "x"), hookhub.ENOTFOUND},
	}
	for _, tt := range tests {
		err := tt.store.check(tt.err, "op")
		if got := hookhub.ErrorCode(err); got != tt.want {
			t.Errorf("%s: code %q, want %q (%v)", tt.name, got, tt.want, err)
		}
		if !errors.Is(err, tt.err) && tt.want != hookhub.ECONFLICT {
			t.Errorf("%s: the cause is lost: %v", tt.name, err)
		}
	}
}
