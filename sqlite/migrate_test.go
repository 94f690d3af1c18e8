package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/sqlstore"
	"github.com/hookhub/hookhub/storetest"
)

// oldDB is a SQLite database written by hand at an older schema version.
type oldDB struct{ db *sql.DB }

func (o oldDB) Exec(t *testing.T, query string, args ...any) {
	t.Helper()
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC().UnixMicro()
		case bool:
			args[i] = map[bool]int{false: 0, true: 1}[v]
		}
	}
	if _, err := o.db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", strings.Fields(query)[0:3], err)
	}
}

// migrateTo applies the dialect's migrations up to version, as Migrate
// would have when they were the newest.
func migrateTo(t *testing.T, o oldDB, d sqlstore.Dialect, version int) {
	t.Helper()
	ms, err := d.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	o.Exec(t, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
	for _, m := range ms {
		if m.Version > version {
			break
		}
		o.Exec(t, m.SQL)
		o.Exec(t, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, time.Now())
	}
}

// TestDestinationTypesMigration opens a database that has rows from before
// destination types: every destination becomes a webhook with nothing lost.
func TestDestinationTypesMigration(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := oldDB{raw}
	migrateTo(t, old, sqlstore.SQLite(), 2)
	key := secret.NewRandomKey()
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	destID, deliveryID := storetest.WriteWebhookRowsV2(t, old, box)
	raw.Close()

	s, err := sqlite.Open(context.Background(), path, box)
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
	path := filepath.Join(t.TempDir(), "hookhub.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := oldDB{raw}
	migrateTo(t, old, sqlstore.SQLite(), 11)
	holder := storetest.WriteDedupRowsV11(t, old)
	raw.Close()

	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path, box)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckDedupRowsMigrated(t, s, holder)
}
