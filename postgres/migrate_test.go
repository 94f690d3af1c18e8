package postgres_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub/postgres"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlstore"
	"github.com/hookhub/hookhub/storetest"
)

// oldDB is a PostgreSQL database written by hand at an older schema version.
type oldDB struct{ db *sql.DB }

func (o oldDB) Exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if len(args) > 0 {
		var b strings.Builder
		n := 0
		for _, r := range query {
			if r == '?' {
				n++
				b.WriteString("$" + strconv.Itoa(n))
				continue
			}
			b.WriteRune(r)
		}
		query = b.String()
	}
	if _, err := o.db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", strings.Fields(query)[0:3], err)
	}
}

// migrateTo applies the dialect's migrations up to version to a fresh
// database, as Migrate would have when they were the newest.
func migrateTo(t *testing.T, old oldDB, version int) {
	t.Helper()
	ms, err := sqlstore.Postgres().Migrations()
	if err != nil {
		t.Fatal(err)
	}
	old.Exec(t, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`)
	for _, m := range ms {
		if m.Version > version {
			break
		}
		old.Exec(t, m.SQL)
		old.Exec(t, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, time.Now())
	}
}

// TestDestinationTypesMigration opens a database that has rows from before
// destination types: every destination becomes a webhook with nothing lost.
func TestDestinationTypesMigration(t *testing.T) {
	t.Parallel()
	dbURL := freshDatabase(t)
	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	old := oldDB{raw}
	migrateTo(t, old, 2)
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	destID, deliveryID := storetest.WriteWebhookRowsV2(t, old, box)
	raw.Close()

	s, err := postgres.Open(context.Background(), dbURL, box)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckWebhookRowsMigrated(t, s, destID, deliveryID)
}

// TestDedupInEventsMigration opens a database from before dedup keys moved
// into the events table: the keys held stay held by their events.
func TestDedupInEventsMigration(t *testing.T) {
	t.Parallel()
	dbURL := freshDatabase(t)
	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	old := oldDB{raw}
	migrateTo(t, old, 11)
	holder := storetest.WriteDedupRowsV11(t, old)
	raw.Close()

	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(context.Background(), dbURL, box)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckDedupRowsMigrated(t, s, holder)
}
