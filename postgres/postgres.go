// Package postgres is Hookhub's store on PostgreSQL, through pgx's
// database/sql driver. The queries live in sqlstore; this package connects
// and migrates.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlstore"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Store is a hookhub.Store in a PostgreSQL database. Its watchers hear of
// the changes other processes make to the same database, through a
// LISTEN connection of its own.
type Store struct {
	*sqlstore.Store
	feed *feed
}

var _ hookhub.Store = (*Store)(nil)

// maxConns bounds the pool; PostgreSQL's default max_connections is 100 and
// other processes (a second Hookhub, psql, backups) need some.
const maxConns = 20

// Open connects to the database at url (postgres://…), migrates it and returns
// the store. Secret settings are sealed with box.
func Open(ctx context.Context, url string, box *secret.Box) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	s := sqlstore.New(sqlstore.Postgres(), db, db, box)
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	f, err := startFeed(ctx, url, s)
	if err != nil {
		s.Close()
		return nil, err
	}
	return &Store{Store: s, feed: f}, nil
}

// Close stops the change feed and closes the connection pool.
func (s *Store) Close() error {
	s.feed.close()
	return s.Store.Close()
}
