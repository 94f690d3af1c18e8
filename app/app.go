// Package app wires Hookhub together: it opens the store, bootstraps the admin,
// and runs the HTTP server and background workers until it is closed. main is a
// thin shell around Main, and tests start a Main on 127.0.0.1:0 with a temp dir.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/console"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/limit"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/server"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/workflow"
)

// Main is one running Hookhub.
type Main struct {
	Config *config.Config
	Logger *slog.Logger
	Stdout io.Writer // where first-start credentials are printed

	// Now replaces the clock in tests; nil means time.Now.
	Now func() time.Time

	// retentionInterval is how often retention runs; zero means every
	// minute. Tests shorten it.
	retentionInterval time.Duration
	// storeTimeout bounds each ingest step that waits for the store (source
	// lookup, commit); zero means server.DefaultStoreTimeout. Tests shorten it.
	storeTimeout time.Duration
	// hashPassword hashes the bootstrap admin's password; nil means
	// secret.HashPassword. Tests use a cheap cost.
	hashPassword func(string) (string, error)
	// bodyTimeout and headerTimeout bound how long a client may take to send
	// a request body and headers; zero means server.DefaultBodyTimeout and
	// defaultHeaderTimeout. Tests shorten them.
	bodyTimeout, headerTimeout time.Duration

	store     hookhub.Store
	tracing   *tracing.Provider // nil when tracing is off
	committer *ingest.Committer
	routing   *routing.Table // shared by the server and the engine
	engine    *delivery.Engine
	workflows *workflow.Runner
	metrics   *server.Metrics
	srv       *server.Server
	httpSrv   *http.Server
	debugSrv  *http.Server
	debugAddr string
	listener  net.Listener
	served    chan error
	stopBg    context.CancelFunc
	bgDone    chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// Run opens the store, applies migrations, bootstraps the admin on an empty store
// and starts serving. It returns once the listener is open.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	if m.Stdout == nil {
		m.Stdout = io.Discard
	}
	if m.Now == nil {
		m.Now = time.Now
	}
	// A bad OTEL_* setting fails here, before anything else is made.
	tp, err := tracing.Start(ctx, hookhub.Version, m.Logger)
	if err != nil {
		return err
	}
	started := false
	defer func() {
		if !started {
			tp.Shutdown(context.WithoutCancel(ctx))
			m.tracing = nil
		}
	}()
	m.tracing = tp
	// Bind first: a port in use or a bad address must fail before anything
	// is created on disk or in the database, and before credentials print.
	ls, err := bind(m.Config)
	if err != nil {
		return err
	}
	store, undo, err := openStore(ctx, m.Config)
	if err != nil {
		ls.close()
		return err
	}
	if m.hashPassword == nil {
		m.hashPassword = secret.HashPassword
	}
	if err := bootstrap(ctx, store, m.Config, m.Stdout, m.hashPassword); err != nil {
		store.Close()
		undo()
		ls.close()
		return err
	}
	m.store = store
	m.listener = ls.api
	m.startWorkers(store)
	acc := access.New(access.Options{Store: store, Logger: m.Logger, Now: m.Now})
	m.srv = server.New(server.Options{
		Access:     acc,
		Store:      store,
		Logger:     m.Logger,
		BaseURL:    m.baseURL(),
		Now:        m.Now,
		Committer:  m.committer,
		Notify:     m.engine.Notify,
		Queued:     m.engine.Queued,
		Sender:     m.engine,
		IngestGate: ingestGate(m.Config),
		Routing:    m.routing,
		Workflows:  m.workflows,
		Metrics:    m.metrics,
		Tracer:     tp.Tracer(),

		StoreTimeout: m.storeTimeout,
		BodyTimeout:  m.bodyTimeout,
	})
	m.workflows.Start()
	m.httpSrv = &http.Server{
		Handler: m.srv.Handler(console.New(console.Options{Store: store, Access: acc, API: m.srv,
			BaseURL: m.baseURL(), Logger: m.Logger, Now: m.Now}).Routes()...),
		ReadHeaderTimeout: orDuration(m.headerTimeout, defaultHeaderTimeout),
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.httpSrv.Serve(ls.api) }()
	if ls.debug != nil {
		m.startDebug(ls.debug)
	}
	m.Logger.Info("hookhub serving", "addr", ls.api.Addr().String(), "store", storeKind(m.Config), "version", hookhub.Version,
		"tracing", tp != nil)
	started = true
	return nil
}

// defaultHeaderTimeout bounds how long a client may take to send its request
// headers; the connection is closed after it.
const defaultHeaderTimeout = 10 * time.Second

func orDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// startDebug serves Go's profiles on their own listener, apart from the API so
// they are never exposed by accident with it.
func (m *Main) startDebug(ln net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	m.debugSrv, m.debugAddr = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln.Addr().String()
	go m.debugSrv.Serve(ln)
	m.Logger.Info("serving profiles", "addr", ln.Addr().String()+"/debug/pprof/")
}

// startWorkers starts the group committer, the delivery engine and the
// retention job, and makes the workflow runner (started with the server).
func (m *Main) startWorkers(store hookhub.Store) {
	if m.storeTimeout <= 0 {
		m.storeTimeout = server.DefaultStoreTimeout
	}
	// The commit gets the same bound as the lookup, so a sender waits at
	// most about two store timeouts for its answer.
	m.committer = ingest.NewCommitter(store, ingest.CommitterOptions{Timeout: m.storeTimeout,
		// The engine holds each event before it can claim its deliveries.
		Committed: func(ne *hookhub.NewEvent) {
			if ne.Event.Status == hookhub.EventAccepted && len(ne.Deliveries) > 0 {
				m.engine.Queued(ne.Event)
			}
		}})
	m.routing = routing.NewTable(store, m.Logger, m.Now)
	m.engine = delivery.New(delivery.Options{
		Store:   store,
		Logger:  m.Logger,
		Guard:   netguard.New(m.Config.OutboundAllow),
		Now:     m.Now,
		Workers: m.Config.DeliveryWorkers,
		Routing: m.routing,
		Lease:   m.Config.DeliveryLease,
		Tracer:  m.tracing.Tracer(),
	})
	m.metrics = server.NewMetrics()
	m.workflows = workflow.New(workflow.Options{
		Store:  store,
		Logger: m.Logger,
		Guard:  netguard.New(m.Config.OutboundAllow),
		Now:    m.Now,
		// The server applies incident nodes as it applies alerts; it is
		// made after the runner, before any run starts.
		Incidents: func(ctx context.Context, sourceID, eventID string, a hookhub.Alert) (*hookhub.AlertOutcome, error) {
			return m.srv.ApplyWorkflowAlert(ctx, sourceID, eventID, a)
		},
		Delivered: m.engine.Queued,
		Observer:  m.metrics.WorkflowObserver(),
		Tracer:    m.tracing.Tracer(),
	})
	ctx, cancel := context.WithCancel(context.Background())
	m.stopBg, m.bgDone = cancel, make(chan struct{})
	m.engine.Start(ctx)
	interval := m.retentionInterval
	if interval <= 0 {
		interval = time.Minute
	}
	rt := &retention{store: store, log: m.Logger, now: m.Now, interval: interval, batch: 1000,
		keepRejected: rejectedRetention, sessionIdle: access.DefaultIdleTimeout}
	go func() {
		defer close(m.bgDone)
		rt.run(ctx)
	}()
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// DebugAddr returns the address profiles are served on, or "" when off.
func (m *Main) DebugAddr() string { return m.debugAddr }

// URL returns the base URL of the running server.
func (m *Main) URL() string { return "http://" + m.Addr() }

func (m *Main) baseURL() string {
	if m.Config.PublicURL != "" {
		return m.Config.BaseURL()
	}
	return "http://" + m.listener.Addr().String()
}

// Close shuts down gracefully: the listener stops accepting, in-flight requests
// and their commits finish, then workers stop and the store closes. ctx bounds
// the wait. Calling it again returns the first call's result.
func (m *Main) Close(ctx context.Context) error {
	m.closeOnce.Do(func() { m.closeErr = m.close(ctx) })
	return m.closeErr
}

func (m *Main) close(ctx context.Context) error {
	var errs []error
	if m.debugSrv != nil {
		m.debugSrv.Close()
	}
	if m.httpSrv != nil {
		m.srv.Shutdown()
		if err := m.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown http: %w", err))
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
	}
	// Requests are done, so every acknowledged event is committed; now drain
	// the committer and let in-flight deliveries record their attempts.
	if m.committer != nil {
		m.committer.Close()
	}
	// Runs in flight finish (or, past ctx, are left to resume on the next
	// start) before the delivery engine stops, so their deliveries wake it.
	if m.workflows != nil {
		if err := m.workflows.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop workflow runs: %w", err))
		}
	}
	if m.engine != nil {
		if err := m.engine.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop deliveries: %w", err))
		}
		m.stopBg()
		<-m.bgDone
	}
	if m.store != nil {
		if err := m.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
	}
	// Last, when every span has ended: flush them. A collector that is
	// down loses them, which is no reason to fail the shutdown.
	if err := m.tracing.Shutdown(ctx); err != nil {
		m.Logger.Warn("tracing: flushing spans at shutdown failed", "err", err)
	}
	return errors.Join(errs...)
}

func storeKind(c *config.Config) string {
	if c.UsesPostgres() {
		return "postgres"
	}
	return "sqlite:" + filepath.Join(c.DataDir, "hookhub.db")
}

// ingestGate caps webhook requests and bytes in flight as configured; a
// Config built in code without the caps has none.
func ingestGate(c *config.Config) *limit.Gate {
	if c.IngestInflight <= 0 || c.IngestBytes <= 0 {
		return nil
	}
	return limit.NewGate(c.IngestInflight, c.IngestBytes)
}
