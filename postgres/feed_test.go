package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/postgres"
	"github.com/hookhub/hookhub/secret"
)

// changes collects what a store's watcher hears.
type changes struct {
	mu  sync.Mutex
	got []hookhub.Change
}

func (c *changes) add(ch hookhub.Change) {
	c.mu.Lock()
	c.got = append(c.got, ch)
	c.mu.Unlock()
}

func (c *changes) has(want hookhub.Change) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.got {
		if ch == want {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openPair(t *testing.T) (a, b *postgres.Store, dbURL string) {
	t.Helper()
	dbURL = freshDatabase(t)
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []**postgres.Store{&a, &b} {
		if *s, err = postgres.Open(context.Background(), dbURL, box); err != nil {
			t.Fatal(err)
		}
		st := *s
		t.Cleanup(func() { st.Close() })
	}
	return a, b, dbURL
}

// A change committed by one process reaches the watchers of another on the
// same database.
func TestChangesReachOtherProcesses(t *testing.T) {
	t.Parallel()
	a, b, _ := openPair(t)
	var heard changes
	b.Watch(heard.add)

	ctx := context.Background()
	d := &hookhub.Destination{Name: "d", URL: "https://example.com/hook", Enabled: true}
	if err := a.CreateDestination(ctx, d); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the creation", func() bool { return heard.has(hookhub.Change{Kind: hookhub.ChangeDestination, ID: d.ID}) })
	src := &hookhub.Source{Name: "s", Type: hookhub.SourceGeneric, Key: "k-" + hookhub.NewID(""), Active: true}
	if err := a.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteSource(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deletion", func() bool { return heard.has(hookhub.Change{Kind: hookhub.ChangeSource, ID: src.ID}) })
}

// When the feed's connection is cut, it comes back by itself and tells its
// watchers to forget everything, since notices may have been missed.
func TestChangeFeedReconnects(t *testing.T) {
	t.Parallel()
	a, b, dbURL := openPair(t)
	var heard changes
	b.Watch(heard.add)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// Both stores' feeds listen on this database; cut them all.
	res, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND query LIKE 'LISTEN%'`, strings.TrimPrefix(u.Path, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Fatalf("cut %d feed connections, want 2", n)
	}
	waitFor(t, "forget everything", func() bool { return heard.has(hookhub.Change{Kind: hookhub.ChangeAll}) })

	d := &hookhub.Destination{Name: "d", URL: "https://example.com/hook", Enabled: true}
	if err := a.CreateDestination(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a change after the reconnection", func() bool {
		return heard.has(hookhub.Change{Kind: hookhub.ChangeDestination, ID: d.ID})
	})
}
