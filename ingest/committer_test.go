package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// fakeStore implements SaveEvents only; any other Store method panics.
type fakeStore struct {
	hookhub.Store

	mu      sync.Mutex
	calls   [][]string     // event IDs of each SaveEvents call
	saved   map[string]int // committed event IDs
	delay   time.Duration  // how long a commit takes
	gate    chan struct{}  // when set, each call waits for it to close
	entered chan struct{}  // when set, told as each call starts
	fail    func([]*hookhub.NewEvent) error
}

func newFakeStore() *fakeStore { return &fakeStore{saved: map[string]int{}} }

func (f *fakeStore) SaveEvents(ctx context.Context, batch []*hookhub.NewEvent) error {
	if f.entered != nil {
		f.entered <- struct{}{}
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done(): // as a driver gives up on a hung database
			return ctx.Err()
		}
	}
	time.Sleep(f.delay)
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, len(batch))
	for i, ne := range batch {
		ids[i] = ne.Event.ID
	}
	f.calls = append(f.calls, ids)
	if f.fail != nil {
		if err := f.fail(batch); err != nil {
			return err
		}
	}
	for _, id := range ids {
		f.saved[id]++
	}
	return nil
}

func (f *fakeStore) numCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeStore) savedCount(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.saved[id]
}

var errBad = errors.New("bad event")

// failBad fails every batch holding an event whose ID starts with "bad".
func failBad(batch []*hookhub.NewEvent) error {
	for _, ne := range batch {
		if len(ne.Event.ID) >= 3 && ne.Event.ID[:3] == "bad" {
			return fmt.Errorf("save %s: %w", ne.Event.ID, errBad)
		}
	}
	return nil
}

func newEvent(id string) *hookhub.NewEvent {
	return &hookhub.NewEvent{Event: &hookhub.Event{ID: id, Status: hookhub.EventAccepted}}
}

// submitAll submits the events concurrently and returns each one's error.
func submitAll(c *Committer, ids []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := map[string]error{}
	for _, id := range ids {
		wg.Go(func() {
			err := c.Submit(context.Background(), newEvent(id))
			mu.Lock()
			errs[id] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	return errs
}

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func TestCommitterBatchesUnderLoad(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.delay = 2 * time.Millisecond // a commit's fsync
	c := NewCommitter(store, CommitterOptions{})
	defer c.Close()

	const n = 400
	for id, err := range submitAll(c, ids("ev", n)) {
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if store.savedCount(id) != 1 {
			t.Fatalf("%s saved %d times", id, store.savedCount(id))
		}
	}
	calls := store.numCalls()
	if calls > n/4 {
		t.Fatalf("%d events took %d transactions; want far fewer", n, calls)
	}
	st := c.Stats()
	if st.Events != n || st.Batches != int64(calls) || st.LargestBatch < 2 || st.LargestBatch > 256 || st.Failed != 0 {
		t.Fatalf("stats = %+v with %d calls", st, calls)
	}
	t.Logf("%d events in %d transactions, largest %d", n, calls, st.LargestBatch)
}

func TestCommitterMaxBatch(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.delay = 2 * time.Millisecond
	c := NewCommitter(store, CommitterOptions{MaxBatch: 8})
	defer c.Close()
	submitAll(c, ids("ev", 100))
	if st := c.Stats(); st.LargestBatch > 8 || st.Events != 100 {
		t.Fatalf("stats = %+v", st)
	}
}

// An idle committer commits a lone event at once, without waiting to batch.
func TestCommitterIdleCommitsAtOnce(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	c := NewCommitter(store, CommitterOptions{})
	defer c.Close()
	for i := range 3 {
		start := time.Now()
		if err := c.Submit(context.Background(), newEvent(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("lone commit took %v", d)
		}
	}
	if store.numCalls() != 3 {
		t.Fatalf("calls = %v", store.calls)
	}
}

func TestCommitterErrorsReachTheirCallers(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.delay = time.Millisecond
	store.fail = failBad
	c := NewCommitter(store, CommitterOptions{})
	defer c.Close()

	all := append(ids("good", 200), ids("bad", 3)...)
	for id, err := range submitAll(c, all) {
		bad := id[:3] == "bad"
		switch {
		case bad && !errors.Is(err, errBad):
			t.Errorf("%s: err = %v, want errBad", id, err)
		case bad && err.Error() != "save "+id+": bad event":
			t.Errorf("%s got another event's error: %v", id, err)
		case !bad && err != nil:
			t.Errorf("%s: innocent event failed: %v", id, err)
		case !bad && store.savedCount(id) != 1:
			t.Errorf("%s saved %d times", id, store.savedCount(id))
		}
	}
	if st := c.Stats(); st.Failed != 3 {
		t.Errorf("stats = %+v, want 3 failed", st)
	}
}

// commit is driven directly here so the batch's make-up is certain.
func TestCommitRetriesEachEventAlone(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.fail = failBad
	c := &Committer{store: store, opts: CommitterOptions{Timeout: time.Second}}
	batch := []*request{}
	for _, id := range []string{"a", "bad", "b", "c"} {
		batch = append(batch, &request{ev: newEvent(id), done: make(chan error, 1)})
	}
	c.commit(batch)
	for _, r := range batch {
		err := <-r.done
		if (r.ev.Event.ID == "bad") != errors.Is(err, errBad) {
			t.Errorf("%s: err = %v", r.ev.Event.ID, err)
		}
	}
	want := [][]string{{"a", "bad", "b", "c"}, {"a"}, {"bad"}, {"b"}, {"c"}}
	if fmt.Sprint(store.calls) != fmt.Sprint(want) {
		t.Errorf("calls = %v, want %v", store.calls, want)
	}
	if st := c.Stats(); st.Batches != 1 || st.Events != 4 || st.Retried != 4 || st.Failed != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// A slow database is not a bad event: a timed-out batch fails as a whole.
func TestCommitDoesNotRetryTimeouts(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.fail = func([]*hookhub.NewEvent) error { return fmt.Errorf("commit: %w", context.DeadlineExceeded) }
	c := &Committer{store: store, opts: CommitterOptions{Timeout: time.Second}}
	batch := []*request{{ev: newEvent("a"), done: make(chan error, 1)}, {ev: newEvent("b"), done: make(chan error, 1)}}
	c.commit(batch)
	for _, r := range batch {
		if err := <-r.done; !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
	}
	if store.numCalls() != 1 || c.Stats().Failed != 2 {
		t.Errorf("calls = %v, stats = %+v", store.calls, c.Stats())
	}
}

// Changes a failed transaction made to the events are undone before retrying.
func TestCommitRestoresEventsBeforeRetry(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	var seen []string
	store.fail = func(batch []*hookhub.NewEvent) error {
		for _, ne := range batch {
			seen = append(seen, ne.Event.Status)
			ne.Event.Status, ne.Event.DuplicateOf, ne.Deliveries = hookhub.EventDuplicate, "evt_x", nil
		}
		if len(batch) > 1 {
			return errBad
		}
		return nil
	}
	c := &Committer{store: store, opts: CommitterOptions{Timeout: time.Second}}
	ev := newEvent("a")
	ev.Deliveries = []*hookhub.Delivery{{ID: "d1"}}
	batch := []*request{{ev: ev, done: make(chan error, 1)}, {ev: newEvent("b"), done: make(chan error, 1)}}
	c.commit(batch)
	<-batch[0].done
	for _, s := range seen {
		if s != hookhub.EventAccepted {
			t.Fatalf("a retry saw status %q; statuses seen: %v", s, seen)
		}
	}
}

func TestCommitterSurvivesStorePanic(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.fail = func([]*hookhub.NewEvent) error { panic("driver bug") }
	c := NewCommitter(store, CommitterOptions{})
	defer c.Close()
	for range 2 {
		if err := c.Submit(context.Background(), newEvent("a")); err == nil || hookhub.ErrorCode(err) != hookhub.EINTERNAL {
			t.Fatalf("err = %v", err)
		}
	}
}

func TestCommitterRejectsNilEvent(t *testing.T) {
	t.Parallel()
	c := NewCommitter(newFakeStore(), CommitterOptions{})
	defer c.Close()
	if err := c.Submit(context.Background(), &hookhub.NewEvent{}); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Fatalf("err = %v", err)
	}
}

// A hung database answers the caller by its own deadline, not the
// committer's longer Timeout: senders give up after 10 s.
func TestSaveEndsByCallersDeadline(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.gate = make(chan struct{}) // never opens: the database hangs
	c := NewCommitter(store, CommitterOptions{Timeout: time.Hour})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.Submit(ctx, newEvent("x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Submit on a hung store = %v, want a deadline error", err)
	}
	if store.savedCount("x") != 0 {
		t.Fatal("the event counts as saved")
	}
}

func TestDropExpiredAnswersOnlyTheExpired(t *testing.T) {
	t.Parallel()
	c := &Committer{}
	now := time.Now()
	late := &request{ev: newEvent("late"), deadline: now.Add(-time.Millisecond), done: make(chan error, 1)}
	open := &request{ev: newEvent("open"), deadline: now.Add(time.Second), done: make(chan error, 1)}
	none := &request{ev: newEvent("none"), done: make(chan error, 1)}
	kept := c.dropExpired([]*request{late, open, none}, now)
	if len(kept) != 2 || kept[0] != open || kept[1] != none {
		t.Fatalf("kept %d requests", len(kept))
	}
	if err := <-late.done; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("expired request answered %v", err)
	}
	if got := earliest(kept); !got.Equal(open.deadline) {
		t.Fatalf("earliest = %v, want %v", got, open.deadline)
	}
	if c.Stats().Failed != 1 {
		t.Fatalf("failed = %d, want 1", c.Stats().Failed)
	}
}

// TestCommittedHearsOfStoredEventsFirst: Committed is told of every event
// stored, before its sender is answered, and of no event that failed (in a
// batch, or retried alone).
func TestCommittedHearsOfStoredEventsFirst(t *testing.T) {
	t.Parallel()
	store := newFakeStore()
	store.fail = failBad
	var mu sync.Mutex
	heard := map[string]bool{}
	c := NewCommitter(store, CommitterOptions{Committed: func(ne *hookhub.NewEvent) {
		mu.Lock()
		defer mu.Unlock()
		heard[ne.Event.ID] = true
	}})
	defer c.Close()
	var wg sync.WaitGroup
	for _, id := range append(ids("ok", 20), ids("bad", 3)...) {
		wg.Go(func() {
			err := c.Submit(context.Background(), newEvent(id))
			mu.Lock()
			defer mu.Unlock()
			if (err == nil) != heard[id] {
				t.Errorf("%s: answered %v, Committed told of it before: %v", id, err, heard[id])
			}
		})
	}
	wg.Wait()
	for id := range heard {
		if store.savedCount(id) != 1 {
			t.Errorf("Committed told of %s, saved %d times", id, store.savedCount(id))
		}
	}
	if len(heard) != 20 {
		t.Errorf("Committed told of %d events, want the 20 stored", len(heard))
	}
}
