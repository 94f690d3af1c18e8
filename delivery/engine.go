package delivery

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/tracing"
)

// Defaults for Options fields left zero.
const (
	DefaultWorkers          = 64
	DefaultBatchSize        = 256
	DefaultPollInterval     = time.Second
	DefaultLease            = 60 * time.Second
	DefaultDestinationTTL   = 2 * time.Second
	DefaultAutoDisableAfter = 50
)

// Options configure an Engine. Only Store is required.
type Options struct {
	Store  hookhub.Store
	Logger *slog.Logger // default: slog.Default()

	// Guard keeps requests away from internal addresses. Transport, when set,
	// is used instead (it should apply a guard itself); with neither, a guard
	// with an empty allowlist is used, so the engine is safe by default.
	Guard     *netguard.Guard
	Transport http.RoundTripper

	// Now is the clock for claims, retry times and signatures; tests replace it.
	// Request durations are measured on the real clock.
	Now func() time.Time

	// Workers bounds requests in flight across all destinations (default 64).
	Workers int
	// BatchSize bounds deliveries claimed at once and attempt results written
	// in one transaction (default 256).
	BatchSize int
	// PollInterval is how often the store is asked for due work when the
	// engine is idle and nobody calls Notify (default 1 s).
	PollInterval time.Duration
	// Lease is how long a claimed delivery belongs to this engine (default
	// 60 s). If the process dies, the delivery is claimed again once its lease
	// expires. A request never outlives its lease: its timeout is cut to what is
	// left of the lease after a safety margin (Lease/6), so a destination
	// timeout above Lease/2 is served only partly; raise Lease to 2× the
	// largest destination timeout in use.
	Lease time.Duration
	// DestinationTTL is how long a destination (or the source of a forwarded
	// event) read from the store is reused (default 2 s). Edits the store
	// reports (see hookhub.Store.Watch) take effect at once; others within it.
	DestinationTTL time.Duration
	// Routing is the destination table Hookhub's own events
	// (destination.disabled, delivery.failed) are routed with; nil makes
	// one. It may be shared with the server.
	Routing *routing.Table

	// ReleaseInterval is how often deliveries left held for a destination
	// that is no longer paused are released (default 5 s); such leftovers
	// come only from an event routed on a stale view of a resumed destination.
	ReleaseInterval time.Duration

	// UserAgent is sent with every request (default "Hookhub/<version>").
	UserAgent string

	// AutoDisableAfter disables a destination once this many deliveries in a
	// row have failed for good (default 50; negative never disables). 50 final
	// failures with the default retry schedule means the receiver has been down
	// for a long time, not that it blipped.
	AutoDisableAfter int
	// OnDisabled, when set, is called after the engine disabled a
	// destination (410 Gone or too many failures), the destination.disabled
	// event committed with the change.
	OnDisabled func(ctx context.Context, d *hookhub.Destination, reason string)

	// Tracer starts a span for every attempt, in the trace of the event's
	// ingest, and its context goes out with the request or message; nil
	// traces nothing.
	Tracer *tracing.Tracer

	// Senders adds or replaces senders by destination type (tests).
	Senders map[string]sender.Builder
}

// Engine sends deliveries. Build it with New, run it with Start and stop it
// with Stop; SendNow sends one delivery at once, outside the queue.
type Engine struct {
	opts    Options
	log     *slog.Logger
	guard   *netguard.Guard // nil with a custom Transport and no Guard
	senders map[string]sender.Sender
	dests   *cache[*hookhub.Destination]
	sources *cache[*hookhub.Source]
	routing *routing.Table
	unwatch func() // ends the caches' watch on the store's changes
	rec     *recorder
	recent  *recentEvents

	notify chan struct{} // capacity 1: wakes the loop; more wakes collapse into one
	done   chan *job     // finished sends, back to the loop

	mu      sync.Mutex
	stop    chan struct{}      // closed by Stop: claim no more
	abort   context.CancelFunc // cancels requests in flight when Stop gives up
	loopEnd chan struct{}      // closed when the loop has exited
}

// New returns an Engine; it does nothing until Start.
func New(o Options) *Engine {
	o = withDefaults(o)
	guard := o.Guard
	if guard == nil && o.Transport == nil {
		guard = netguard.New(nil)
	}
	e := &Engine{
		opts:    o,
		log:     o.Logger.With("component", "delivery"),
		guard:   guard,
		senders: newSenders(senderEnv(o, guard), o.Senders),
		dests:   newCache(o.DestinationTTL, o.Store.GetDestination),
		sources: newCache(o.DestinationTTL, o.Store.GetSource),
		routing: o.Routing,
		recent:  newRecentEvents(recentBudget),
		notify:  make(chan struct{}, 1),
		done:    make(chan *job, o.Workers),
		stop:    make(chan struct{}),
	}
	if e.routing == nil {
		e.routing = routing.NewTable(o.Store, o.Logger, o.Now)
	}
	e.unwatch = o.Store.Watch(e.changed)
	e.rec = newRecorder(e)
	return e
}

// changed forgets what the store reports changed, so that an edit applies
// to the next request: a rotated secret signs it, a new URL receives it.
func (e *Engine) changed(c hookhub.Change) {
	switch c.Kind {
	case hookhub.ChangeDestination:
		e.dests.forget(c.ID)
	case hookhub.ChangeSource:
		e.sources.forget(c.ID)
	case hookhub.ChangeAll:
		e.dests.forgetAll()
		e.sources.forgetAll()
	}
	e.routing.Changed(c)
}

func withDefaults(o Options) Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Workers = orInt(o.Workers, DefaultWorkers)
	o.BatchSize = orInt(o.BatchSize, DefaultBatchSize)
	o.PollInterval = orDuration(o.PollInterval, DefaultPollInterval)
	o.Lease = orDuration(o.Lease, DefaultLease)
	o.DestinationTTL = orDuration(o.DestinationTTL, DefaultDestinationTTL)
	o.ReleaseInterval = orDuration(o.ReleaseInterval, 5*time.Second)
	if o.UserAgent == "" {
		o.UserAgent = "Hookhub/" + hookhub.Version
	}
	if o.AutoDisableAfter == 0 {
		o.AutoDisableAfter = DefaultAutoDisableAfter
	}
	return o
}

// maxResponseHeaderBytes bounds the headers of a receiver's answer: larger
// ones fail the attempt, so that no receiver holds much of the engine's
// memory.
const maxResponseHeaderBytes = 1 << 20

// senderEnv is what the engine lends its senders. Brokers dial through the
// guard even with a custom HTTP transport: with no Guard, one with an empty
// allowlist.
func senderEnv(o Options, guard *netguard.Guard) sender.Env {
	env := sender.Env{Guard: guard, Transport: o.Transport, CustomTransport: o.Transport != nil,
		UserAgent: o.UserAgent, Logger: o.Logger}
	if env.Guard == nil {
		env.Guard = netguard.New(nil)
	}
	if env.Transport == nil {
		t := env.Guard.Transport()
		t.MaxResponseHeaderBytes = maxResponseHeaderBytes
		env.Transport = t
	}
	return env
}

// CheckURL reports whether raw is a destination URL the engine may send to:
// well formed and, when its host is an IP address, one the guard allows. A
// host name passes here; the addresses it resolves to are checked on every
// connection. With a custom Transport and no Guard only the form is checked.
func (e *Engine) CheckURL(raw string) error {
	if e.guard == nil {
		return netguard.CheckURL(raw)
	}
	return e.guard.CheckURL(raw)
}

func orInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func orDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// Notify wakes the engine to claim due deliveries now. Call it after committing
// new deliveries, so they do not wait for the next poll. It never blocks.
func (e *Engine) Notify() {
	e.wake()
}

// Queued tells the engine that ev was just committed with deliveries to
// send, and wakes it. The engine keeps ev for a while so it need not read it
// back from the store; ev must not be changed afterwards.
func (e *Engine) Queued(ev *hookhub.Event) {
	e.recent.add(ev)
	e.wake()
}

func (e *Engine) wake() {
	select {
	case e.notify <- struct{}{}:
	default:
	}
}
