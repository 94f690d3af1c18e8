package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// Processes recording successful attempts to one healthy destination must not
// queue for its row: a success leaves a zero failure count alone instead of
// rewriting it. The row is held locked by another transaction while a success
// is recorded; the test fails if the recording waits for that lock.
func TestSuccessDoesNotLockHealthyDestination(t *testing.T) {
	dbURL := freshDatabase(t)
	s := open(t, dbURL)
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Name: "src", Type: hookhub.SourceGeneric,
		Key: "k_" + hookhub.NewID(""), Active: true}
	src.SetDefaults()
	dst := &hookhub.Destination{ID: hookhub.NewID(hookhub.PrefixDestination), Name: "dst",
		URL: "https://example.com/hook", Enabled: true}
	now := time.Now().UTC()
	d := &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), DestinationID: dst.ID,
		Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: src.ID, Type: "ping",
		Status: hookhub.EventAccepted, ReceivedAt: now, Method: "POST", Body: []byte(`{}`)}
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateDestination(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{d}}}); err != nil {
		t.Fatal(err)
	}

	other, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	holder, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, `SELECT 1 FROM destinations WHERE id = $1 FOR UPDATE`, dst.ID); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		done <- s.CompleteAttempts(ctx, []*hookhub.AttemptResult{{
			Attempt: hookhub.Attempt{ID: hookhub.NewID(hookhub.PrefixAttempt), DeliveryID: d.ID, Number: 1,
				Trigger: hookhub.TriggerInitial, Target: dst.URL, StatusCode: 200, StartedAt: now},
			Status: hookhub.DeliverySucceeded,
		}})
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.GetDelivery(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != hookhub.DeliverySucceeded {
				t.Fatalf("delivery %s, want succeeded", got.Status)
			}
			return
		default:
		}
		var waiting int
		if err := other.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			t.Fatal("recording a success waits for the lock on its healthy destination's row")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
