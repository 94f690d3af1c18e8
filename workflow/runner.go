package workflow

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/tracing"
)

// Runner defaults for Options fields left zero.
const (
	DefaultWorkers      = 64
	DefaultLease        = 30 * time.Second
	DefaultPollInterval = time.Second
)

// Store is what a Runner needs of the store.
type Store interface {
	ClaimWorkflowRuns(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*hookhub.WorkflowRun, error)
	SaveRunProgress(ctx context.Context, batch []*hookhub.RunProgress) error
	GetWorkflowVersion(ctx context.Context, id string, version int) (*hookhub.Workflow, error)
	GetWorkflowBySource(ctx context.Context, sourceID string) (*hookhub.Workflow, error)
	GetEvent(ctx context.Context, id string) (*hookhub.Event, error)
	GetDestination(ctx context.Context, id string) (*hookhub.Destination, error)
}

// IncidentFunc applies an incident node's alert to the incidents of a
// source, as an alert source's alerts are applied (with the events that
// announce each change); eventID is the run's trigger event.
type IncidentFunc func(ctx context.Context, sourceID, eventID string, a hookhub.Alert) (*hookhub.AlertOutcome, error)

// Options configure a Runner. Store is required.
type Options struct {
	Store  Store
	Logger *slog.Logger
	Now    func() time.Time

	// Guard keeps http_request nodes away from internal addresses, as it
	// does destinations. Transport, when set, is used instead (tests).
	Guard     *netguard.Guard
	Transport http.RoundTripper

	// Workers bounds the async runs the runner runs at once (default 64);
	// sync runs started by webhooks are bounded by the requests that wait
	// for them.
	Workers int
	// Lease is how long a run belongs to this runner after each save
	// (default 30 s; longer before a slow http_request); a runner that dies
	// loses its runs when it ends and another resumes them from their last
	// save.
	Lease time.Duration
	// PollInterval is how often the store is asked for due runs when
	// nobody calls Notify (default 1 s): a delay ends at most this late.
	PollInterval time.Duration

	// Incidents applies incident nodes; without it they fail.
	Incidents IncidentFunc
	// Delivered is called with each event a deliver node committed with its
	// delivery, to wake the delivery engine.
	Delivered func(ev *hookhub.Event)
	// Observer is told of every step and finished run, for metrics.
	Observer Observer
	// Tracer starts a span for every turn at a run, in the trace of its
	// trigger event's ingest, with one child per step; nil traces nothing.
	Tracer *tracing.Tracer
}

// Observer hooks report a runner's work; a nil hook is skipped.
type Observer struct {
	Run  func(status string)                            // a run ended: succeeded or failed
	Step func(nodeType, status string, d time.Duration) // a step ran
}

// Runner runs workflow runs: those queued in the store (async triggers,
// delays that ended, re-runs, runs whose runner died) and those a sync
// trigger hands it. Build it with New, run it with Start, stop it with Stop.
type Runner struct {
	o        Options
	log      *slog.Logger
	client   *http.Client
	versions *versionCache
	bound    *boundCache
	saver    *saver

	notify chan struct{}
	slots  chan struct{} // one per worker running an async run

	mu      sync.Mutex
	started bool
	handed  []handedRun // handed over while every worker was busy

	stop      chan struct{}
	stopOnce  sync.Once
	startOnce sync.Once
	runCtx    context.Context // parent of every run; canceled when Stop gives up
	abort     context.CancelFunc
	runs      sync.WaitGroup
	loopDone  chan struct{}
}

// New returns a Runner; it claims nothing until Start.
func New(o Options) *Runner {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	rt := o.Transport
	if rt == nil {
		g := o.Guard
		if g == nil {
			g = netguard.New(nil)
		}
		rt = g.Transport()
	}
	ctx, abort := context.WithCancel(context.Background())
	return &Runner{
		o: o, log: o.Logger.With("component", "workflow"),
		client: &http.Client{
			Transport:     rt,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		versions: newVersionCache(o.Store), bound: newBoundCache(o.Store, o.Now), saver: &saver{store: o.Store},
		notify: make(chan struct{}, 1), slots: make(chan struct{}, o.Workers), stop: make(chan struct{}),
		runCtx: ctx, abort: abort, loopDone: make(chan struct{}),
	}
}

// Start starts claiming due runs. It may be called once.
func (r *Runner) Start() {
	r.startOnce.Do(func() {
		r.mu.Lock()
		r.started = true
		r.mu.Unlock()
		go r.loop()
	})
}

// Stop stops claiming and waits for the runs in flight. When ctx ends first
// they are abandoned where they stand (nothing more is saved): their leases
// expire and the next runner resumes them from their last save.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stop) })
	r.startOnce.Do(func() { close(r.loopDone) }) // never started: no loop to wait for
	done := make(chan struct{})
	go func() {
		<-r.loopDone
		r.runs.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		r.abort()
		<-done
		return ctx.Err()
	}
}

// Notify wakes the runner to claim due runs now (after runs were queued).
// It never blocks.
func (r *Runner) Notify() {
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

func (r *Runner) stopping() bool {
	select {
	case <-r.stop:
		return true
	default:
		return false
	}
}

// NewRun returns the run a webhook starts, for the store to queue with its
// event. For a sync trigger it is held by this runner, for RunNow to run.
// For an async one it is held too when the runner can take it at once
// (Hand runs it without reading it back from the store), and queued for
// any runner to claim otherwise.
func (r *Runner) NewRun(c *Compiled) *hookhub.WorkflowRun {
	now := r.o.Now().UTC()
	run := &hookhub.WorkflowRun{
		ID: hookhub.NewID(hookhub.PrefixRun), WorkflowID: c.w.ID, Version: c.w.Version,
		Status: hookhub.RunQueued, Node: c.w.Start, Outputs: map[string]any{}, DueAt: now, CreatedAt: now, UpdatedAt: now,
	}
	// A held run that is never run (the process dies first) is claimed by
	// any runner once its lease ends, as if its runner had died mid-run.
	if c.Sync() || r.canHand() {
		run.Status, run.Claims, run.StartedAt, run.LeaseUntil = hookhub.RunRunning, 1, now, now.Add(r.o.Lease)
	}
	return run
}

// RunNow runs a run NewRun made for a sync trigger, now, in its own
// goroutine, which goes on after the sender stops waiting. answer is
// called once, with the first respond node's answer or, when the run ends
// without one, its outcome.
func (r *Runner) RunNow(c *Compiled, run *hookhub.WorkflowRun, t *Trigger, answer func(Answer)) {
	r.runs.Add(1)
	go func() {
		defer r.runs.Done()
		r.exec(r.runCtx, c, run, t, answer)
	}()
}

// Bound returns the compiled workflow a source triggers, and whether it has
// one. Lookups are cached for a short while; Forget drops one at once.
// timeout, when positive, bounds the store read of a lookup the cache does
// not answer (a hit sets no timer).
func (r *Runner) Bound(ctx context.Context, sourceID string, timeout time.Duration) (*Compiled, bool, error) {
	return r.bound.get(ctx, sourceID, timeout)
}

// Forget drops what is cached about a source's workflow after it changed.
func (r *Runner) Forget(sourceID string) {
	r.bound.forget(sourceID)
}
