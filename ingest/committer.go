package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// CommitterOptions tune a Committer; zero values take the defaults.
type CommitterOptions struct {
	// Writers is how many transactions may run at once. Default 1: SQLite
	// has a single writer, so more would only queue inside the driver.
	Writers int
	// MaxBatch is the most events one transaction stores. Default 256.
	MaxBatch int
	// Timeout bounds one SaveEvents call, so a hung database answers
	// waiting senders with an error instead of holding them. Default 30s.
	Timeout time.Duration
	// Committed, when set, is called on the writer with each event just
	// stored, before its sender is answered: the delivery engine takes the
	// events with deliveries there, before it can claim their deliveries,
	// so it never reads them back.
	Committed func(*hookhub.NewEvent)
}

// Committer stores events for concurrent ingest requests, sharing one
// transaction among all requests waiting at the moment a writer is free.
// There is no timer: an idle writer commits a lone event at once, and under
// load each commit takes everything that queued during the previous one, so
// batches grow with load and latency stays about one commit.
type Committer struct {
	store   hookhub.Store
	opts    CommitterOptions
	queue   chan *request // unbuffered: a send succeeds only into a writer's hands
	closing chan struct{}
	once    sync.Once
	wg      sync.WaitGroup

	mu    sync.Mutex
	stats CommitterStats
}

// CommitterStats are a Committer's running totals, for metrics.
type CommitterStats struct {
	Batches      int64 // batches taken by writers (one SaveEvents call each, before retries)
	Events       int64 // events taken by writers
	LargestBatch int64
	Retried      int64 // events retried alone after their batch failed
	Failed       int64 // events whose caller got an error
}

// request is one Submit waiting for its outcome.
type request struct {
	ev       *hookhub.NewEvent
	deadline time.Time  // the caller's; zero when it has none
	done     chan error // buffered, so a writer never blocks on a caller
}

// NewCommitter starts a Committer's writers; Close stops them.
func NewCommitter(store hookhub.Store, opts CommitterOptions) *Committer {
	if opts.Writers <= 0 {
		opts.Writers = 1
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	c := &Committer{store: store, opts: opts, queue: make(chan *request), closing: make(chan struct{})}
	c.wg.Add(opts.Writers)
	for range opts.Writers {
		go c.write()
	}
	return c
}

// Submit stores ev and returns once it is durable, or with the error that
// kept it from being stored. ctx's cancellation is honoured only until a
// writer takes the event: from then on the caller waits for the real
// outcome, since the event may already be committed. ctx's deadline also
// bounds the transaction that stores it, so a hung database answers by
// then. After Close it returns EUNAVAILABLE.
func (c *Committer) Submit(ctx context.Context, ev *hookhub.NewEvent) error {
	if ev == nil || ev.Event == nil {
		return hookhub.Errorf(hookhub.EINVALID, "no event to store")
	}
	select {
	case <-c.closing:
		return errClosed()
	default:
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ingest: not queued: %w", err)
	}
	r := &request{ev: ev, done: make(chan error, 1)}
	r.deadline, _ = ctx.Deadline()
	select {
	case c.queue <- r:
		return <-r.done
	case <-ctx.Done():
		return fmt.Errorf("ingest: not queued: %w", ctx.Err())
	case <-c.closing:
		return errClosed()
	}
}

// Close stops taking events, commits those writers already hold, and
// returns when every writer has stopped. It may be called more than once.
func (c *Committer) Close() {
	c.once.Do(func() { close(c.closing) })
	c.wg.Wait()
}

// Stats returns the running totals.
func (c *Committer) Stats() CommitterStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func errClosed() error {
	return hookhub.Errorf(hookhub.EUNAVAILABLE, "event store is shutting down")
}

// write is one writer's loop. On Close it still commits every request that
// a sender is already offering, so nobody waits forever.
func (c *Committer) write() {
	defer c.wg.Done()
	for {
		select {
		case r := <-c.queue:
			c.commit(c.gather(r))
		case <-c.closing:
			for {
				select {
				case r := <-c.queue:
					c.commit(c.gather(r))
				default:
					return
				}
			}
		}
	}
}

// gather adds to first every request already waiting, up to MaxBatch,
// without waiting for more.
func (c *Committer) gather(first *request) []*request {
	batch := []*request{first}
	for len(batch) < c.opts.MaxBatch {
		select {
		case r := <-c.queue:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// commit stores a batch in one transaction. If that fails, each event is
// retried alone once, so one bad event does not fail the rest and each
// caller learns its own event's outcome. A timeout is not retried: it says
// the database is slow, not that an event is bad. Requests whose callers'
// deadlines passed while they queued are answered at once, unstored.
func (c *Committer) commit(batch []*request) {
	batch = c.dropExpired(batch, time.Now())
	if len(batch) == 0 {
		return
	}
	evs := make([]*hookhub.NewEvent, len(batch))
	snaps := make([]snapshot, len(batch))
	for i, r := range batch {
		evs[i], snaps[i] = r.ev, take(r.ev)
	}
	err := c.save(evs, earliest(batch))
	c.update(func(s *CommitterStats) {
		s.Batches++
		s.Events += int64(len(batch))
		s.LargestBatch = max(s.LargestBatch, int64(len(batch)))
	})
	if err == nil || len(batch) == 1 || errors.Is(err, context.DeadlineExceeded) {
		c.update(func(s *CommitterStats) { s.Failed += failures(err, len(batch)) })
		for _, r := range batch {
			c.committed(r.ev, err)
			r.done <- err
		}
		return
	}
	for i, r := range batch {
		snaps[i].restore(r.ev)
		err := c.save([]*hookhub.NewEvent{r.ev}, r.deadline)
		c.update(func(s *CommitterStats) { s.Retried++; s.Failed += failures(err, 1) })
		c.committed(r.ev, err)
		r.done <- err
	}
}

// committed tells Committed of an event stored.
func (c *Committer) committed(ev *hookhub.NewEvent, err error) {
	if err == nil && c.opts.Committed != nil {
		c.opts.Committed(ev)
	}
}

// dropExpired answers the requests whose deadline has passed and returns
// the rest.
func (c *Committer) dropExpired(batch []*request, now time.Time) []*request {
	kept := batch[:0]
	for _, r := range batch {
		if !r.deadline.IsZero() && !now.Before(r.deadline) {
			c.update(func(s *CommitterStats) { s.Failed++ })
			r.done <- fmt.Errorf("ingest: not stored before the caller's deadline: %w", context.DeadlineExceeded)
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// earliest returns the soonest deadline of a batch's callers (zero if none
// has one).
func earliest(batch []*request) time.Time {
	var first time.Time
	for _, r := range batch {
		if !r.deadline.IsZero() && (first.IsZero() || r.deadline.Before(first)) {
			first = r.deadline
		}
	}
	return first
}

// save runs one SaveEvents call bounded by the committer's Timeout and, when
// set, the callers' earliest deadline. A panicking driver becomes an error:
// otherwise the writer would die and strand every waiter.
func (c *Committer) save(batch []*hookhub.NewEvent, deadline time.Time) (err error) {
	limit := time.Now().Add(c.opts.Timeout)
	if !deadline.IsZero() && deadline.Before(limit) {
		limit = deadline
	}
	ctx, cancel := context.WithDeadline(context.Background(), limit)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("ingest: store panicked: %v", p)
		}
	}()
	return c.store.SaveEvents(ctx, batch)
}

func (c *Committer) update(f func(*CommitterStats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.stats)
}

func failures(err error, n int) int64 {
	if err == nil {
		return 0
	}
	return int64(n)
}

// snapshot holds the fields SaveEvents may change while deduplicating. A
// failed transaction rolls back the rows but not these in-memory changes,
// so they are restored before an event is retried alone.
type snapshot struct {
	status, duplicateOf string
	deliveries          []*hookhub.Delivery
}

func take(ev *hookhub.NewEvent) snapshot {
	return snapshot{ev.Event.Status, ev.Event.DuplicateOf, ev.Deliveries}
}

func (s snapshot) restore(ev *hookhub.NewEvent) {
	ev.Event.Status, ev.Event.DuplicateOf, ev.Deliveries = s.status, s.duplicateOf, s.deliveries
}
