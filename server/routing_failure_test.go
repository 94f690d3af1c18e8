package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/server"
	"github.com/hookhub/hookhub/sqlite"
)

// noDestinations is a store whose destinations cannot be read, and which
// counts the events it is asked to save.
type noDestinations struct {
	hookhub.Store
	saved atomic.Int64
}

func (s *noDestinations) ListDestinations(context.Context, hookhub.Page) ([]*hookhub.Destination, string, error) {
	return nil, "", errors.New("database is down")
}

func (s *noDestinations) SaveEvents(ctx context.Context, nes []*hookhub.NewEvent) error {
	s.saved.Add(int64(len(nes)))
	return s.Store.SaveEvents(ctx, nes)
}

// A webhook that cannot be routed is answered 503 and not stored: stored
// without its deliveries, it would never reach its destinations.
func TestIngestRefusesWhenDestinationsCannotBeRead(t *testing.T) {
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hookhub.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	src := &hookhub.Source{Name: "plain", Type: hookhub.SourceGeneric, Key: "plain-key", Active: true,
		Verification: hookhub.Verification{Scheme: "none"}}
	src.SetDefaults()
	if err := db.CreateSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	store := &noDestinations{Store: db}
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	t.Cleanup(committer.Close)
	srv := server.New(server.Options{Store: store, Committer: committer})
	t.Cleanup(srv.Shutdown)

	r := httptest.NewRequest("POST", "/hooks/"+src.Key, strings.NewReader(`{"id": 1}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "could not route") {
		t.Fatalf("answer %d %s; want 503 could not route", w.Code, w.Body)
	}
	if n := store.saved.Load(); n != 0 {
		t.Fatalf("%d events saved for a webhook that could not be routed", n)
	}
}
