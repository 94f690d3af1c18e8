package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// TestCheckpointerCopiesWAL: commits go to the WAL, and the checkpointer (not
// the committing writer, whose own checkpoint waits for a 64 MB WAL) copies
// them into the database file soon after.
func TestCheckpointerCopiesWAL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	s := open(t, path)
	defer s.Close()
	ctx := context.Background()
	src := &hookhub.Source{Name: "s", Type: hookhub.SourceGeneric, Key: "k", Active: true}
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 16<<10)
	for range 500 { // 8 MB of bodies: far below the writer's threshold
		ev := &hookhub.Event{SourceID: src.ID, Type: "t", Method: "POST", Body: body}
		if err := s.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev}}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() >= 8<<20 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file is %d bytes after 8 MB of commits: the WAL was not checkpointed", fi.Size())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
