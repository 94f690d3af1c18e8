package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"

	_ "modernc.org/sqlite"
)

// TestRelaxedCommitsRestoreDurability: claims and attempt records commit
// without waiting for the disk, but the writer connection must be back to
// synchronous=FULL afterwards, or acknowledged events would not be durable.
func TestRelaxedCommitsRestoreDurability(t *testing.T) {
	ctx := context.Background()
	dsn := "file:" + filepath.Join(t.TempDir(), "h.db") + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	defer db.Close()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s := New(SQLite(), db, db, box)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	synchronous := func(when string) {
		t.Helper()
		var v int
		if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != 2 {
			t.Fatalf("%s: writer synchronous = %d, want 2 (FULL)", when, v)
		}
	}
	synchronous("at start")

	src := &hookhub.Source{Name: "s", Type: hookhub.SourceGeneric, Key: "k", Active: true}
	dst := &hookhub.Destination{Name: "d", URL: "https://example.com", Enabled: true}
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateDestination(ctx, dst); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ev := &hookhub.Event{SourceID: src.ID, Type: "t", Method: "POST", ReceivedAt: now}
	if err := s.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{{DestinationID: dst.ID}}}}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.ClaimDeliveries(ctx, now.Add(time.Second), time.Minute, 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claim: %v, %d deliveries", err, len(ds))
	}
	synchronous("after a claim")
	err = s.CompleteAttempts(ctx, []*hookhub.AttemptResult{{Status: hookhub.DeliverySucceeded, LeaseToken: ds[0].LeaseToken,
		Attempt: hookhub.Attempt{DeliveryID: ds[0].ID, StatusCode: 200, StartedAt: now}}})
	if err != nil {
		t.Fatal(err)
	}
	synchronous("after recording an attempt")
	// A failing relaxed transaction restores it too.
	err = s.inRelaxedTx(ctx, func(tx *sql.Tx) error { return hookhub.Errorf(hookhub.EINVALID, "boom") })
	if hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Fatalf("relaxed tx error = %v", err)
	}
	synchronous("after a failed relaxed transaction")
}
