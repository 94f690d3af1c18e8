package ingest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// blockedStore returns a store whose commits wait for release, and a
// committer whose writer is already inside the commit of event "first".
func blockedStore(t *testing.T, opts CommitterOptions) (*fakeStore, *Committer, chan error, func()) {
	t.Helper()
	store := newFakeStore()
	store.gate = make(chan struct{})
	store.entered = make(chan struct{}, 1024)
	c := NewCommitter(store, opts)
	first := make(chan error, 1)
	go func() { first <- c.Submit(context.Background(), newEvent("first")) }()
	<-store.entered
	var once sync.Once
	return store, c, first, func() { once.Do(func() { close(store.gate) }) }
}

func TestSubmitHonoursContextUntilQueued(t *testing.T) {
	t.Parallel()
	store, c, first, release := blockedStore(t, CommitterOptions{})
	defer c.Close()
	defer release()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := c.Submit(ctx, newEvent("late")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if err := c.Submit(ctx, newEvent("later")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("already cancelled: err = %v", err)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	c.Close()
	if store.savedCount("late")+store.savedCount("later") != 0 {
		t.Fatal("an abandoned event was stored")
	}
}

// Once a writer holds the event the caller must learn the real outcome.
func TestSubmitWaitsForOutcomeOnceTaken(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.gate = make(chan struct{})
	store.entered = make(chan struct{}, 1)
	c := NewCommitter(store, CommitterOptions{})
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Submit(ctx, newEvent("x")) }()
	<-store.entered // the writer holds "x" and is committing it
	cancel()
	select {
	case err := <-done:
		t.Fatalf("returned %v before the commit finished", err)
	case <-time.After(30 * time.Millisecond):
	}
	close(store.gate)
	if err := <-done; err != nil || store.savedCount("x") != 1 {
		t.Fatalf("err = %v, saved = %d", err, store.savedCount("x"))
	}
}

func TestCloseDrains(t *testing.T) {
	t.Parallel()
	store, c, first, release := blockedStore(t, CommitterOptions{})
	defer release()

	var mu sync.Mutex
	results := map[string]error{}
	var wg sync.WaitGroup
	for _, id := range ids("ev", 30) {
		wg.Go(func() {
			err := c.Submit(context.Background(), newEvent(id))
			mu.Lock()
			results[id] = err
			mu.Unlock()
		})
	}
	time.Sleep(20 * time.Millisecond) // let the submitters queue up
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned while a commit was in flight")
	case <-time.After(30 * time.Millisecond):
	}
	release()
	<-closed
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("in-flight event: %v", err)
	}
	for id, err := range results {
		switch {
		case err == nil && store.savedCount(id) != 1:
			t.Errorf("%s: success reported but saved %d times", id, store.savedCount(id))
		case err != nil && (hookhub.ErrorCode(err) != hookhub.EUNAVAILABLE || store.savedCount(id) != 0):
			t.Errorf("%s: err = %v, saved %d times", id, err, store.savedCount(id))
		}
	}
	if err := c.Submit(context.Background(), newEvent("after")); hookhub.ErrorCode(err) != hookhub.EUNAVAILABLE {
		t.Fatalf("Submit after Close = %v, want EUNAVAILABLE", err)
	}
	c.Close() // a second Close is harmless
}

func TestCommitterWriters(t *testing.T) {
	t.Parallel()
	store, c, first, release := blockedStore(t, CommitterOptions{Writers: 2})
	defer c.Close()
	second := make(chan error, 1)
	go func() { second <- c.Submit(context.Background(), newEvent("second")) }()
	select {
	case <-store.entered: // both writers are committing at once
	case <-time.After(5 * time.Second):
		t.Fatal("second writer never started a commit")
	}
	release()
	if err1, err2 := <-first, <-second; err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
}
