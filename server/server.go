// Package server is Hookhub's HTTP face: the ingest endpoints under /hooks/, the
// management API under /api/v1, health, metrics and the OpenAPI document. One
// route table, the middleware chain written out, one small handler per file.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/limit"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/web"
	"github.com/hookhub/hookhub/workflow"
)

// Options are a Server's collaborators.
type Options struct {
	Store   hookhub.Store
	Logger  *slog.Logger
	Metrics *Metrics
	BaseURL string           // public base URL, for source URLs
	Now     func() time.Time // replaced in tests

	// Committer durably stores ingested events, sharing transactions.
	Committer *ingest.Committer
	// Notify wakes the delivery workers after deliveries are queued.
	Notify func()
	// Queued, when set, is called instead of Notify with each received
	// event just committed with deliveries, which the delivery workers may
	// keep rather than read back. The server does not change it afterwards.
	Queued func(*hookhub.Event)
	// Sender sends one delivery at once ("send test alert").
	Sender Sender
	// StoreTimeout bounds each step of ingest that waits for the store (the
	// source lookup, the commit), so a hung database answers senders 503 in
	// seconds rather than never. Default 5s; the committer's own timeout
	// should be no longer.
	StoreTimeout time.Duration
	// BodyTimeout bounds the time a client has, after its headers, to send
	// its request body; a body that has not arrived then is answered 408.
	// Default 30s.
	BodyTimeout time.Duration
	// Routing is the destination table events are routed with; nil makes
	// one. It may be shared with the delivery engine.
	Routing *routing.Table
	// Workflows runs the workflows webhooks trigger. When nil the server
	// makes one on Store that it does not start: sync runs still run, queued
	// runs wait for a started runner.
	Workflows *workflow.Runner
	// IngestGate, when set, caps the webhook requests and body bytes in
	// flight; requests past it are answered 503.
	IngestGate *limit.Gate
	// Access answers who may do what; nil means one over Store with its
	// defaults.
	Access *access.Service
	// Tracer starts the spans of ingest and API requests; nil traces
	// nothing.
	Tracer *tracing.Tracer
	// ReopenWindow: a firing alert reopens its incident if it was resolved
	// less than this long ago, rather than opening a new one. Default 1 hour;
	// negative means never reopen.
	ReopenWindow time.Duration
}

// DefaultStoreTimeout is how long ingest waits for the store in one step.
// Senders commonly give up after 10 to 30 seconds (GitHub after 10), so a
// lookup and a commit together stay under that.
const DefaultStoreTimeout = 5 * time.Second

// DefaultBodyTimeout is how long a client has to send a request body after
// its headers. Webhook senders post whole bodies at once and give up on an
// answer within 10 to 30 seconds, so a body still trickling in after this is
// not one a sender is waiting on.
const DefaultBodyTimeout = 30 * time.Second

// Sender sends one delivery now and records the attempt.
type Sender interface {
	SendNow(ctx context.Context, d *hookhub.Delivery) (*hookhub.AttemptResult, error)
}

// Server answers Hookhub's HTTP requests.
type Server struct {
	store   hookhub.Store
	log     *slog.Logger
	metrics *Metrics
	baseURL string
	now     func() time.Time
	access  *access.Service

	committer *ingest.Committer
	notify    func()
	queued    func(*hookhub.Event)
	sender    Sender
	sources   *sourceCache
	gate      *limit.Gate
	rates     *limit.Rates

	reopenWindow time.Duration
	storeTimeout time.Duration
	bodyTimeout  time.Duration
	routing      *routing.Table
	workflows    *workflow.Runner
	tracer       *tracing.Tracer
	stream       *stream
	done         chan struct{} // closed by Shutdown: ends event streams
	callOnce     sync.Once
	inproc       *http.ServeMux // the API's routes, for Call
	closeOnce    sync.Once
	unwatch      func() // ends the caches' watch on the store's changes
}

// New returns a Server.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	if o.Queued == nil {
		o.Queued = func(*hookhub.Event) { o.Notify() }
	}
	if o.StoreTimeout <= 0 {
		o.StoreTimeout = DefaultStoreTimeout
	}
	if o.BodyTimeout <= 0 {
		o.BodyTimeout = DefaultBodyTimeout
	}
	if o.Workflows == nil {
		o.Workflows = workflow.New(workflow.Options{Store: o.Store, Logger: o.Logger, Now: o.Now,
			Observer: o.Metrics.WorkflowObserver()})
	}
	if o.Access == nil {
		o.Access = access.New(access.Options{Store: o.Store, Logger: o.Logger, Now: o.Now})
	}
	switch {
	case o.ReopenWindow == 0:
		o.ReopenWindow = time.Hour
	case o.ReopenWindow < 0:
		o.ReopenWindow = 0
	}
	if o.Routing == nil {
		o.Routing = routing.NewTable(o.Store, o.Logger, o.Now)
	}
	if o.IngestGate != nil {
		o.Metrics.watchGate(o.IngestGate)
	}
	if o.Committer != nil {
		o.Metrics.watchCommitter(o.Committer)
	}
	s := &Server{
		reopenWindow: o.ReopenWindow,
		storeTimeout: o.StoreTimeout,
		bodyTimeout:  o.BodyTimeout,
		store:        o.Store,
		log:          o.Logger,
		metrics:      o.Metrics,
		baseURL:      o.BaseURL,
		now:          o.Now,
		access:       o.Access,
		committer:    o.Committer,
		notify:       o.Notify,
		queued:       o.Queued,
		sender:       o.Sender,
		sources:      newSourceCache(o.Store, o.Now, o.StoreTimeout),
		gate:         o.IngestGate,
		rates:        limit.NewRates(),
		routing:      o.Routing,
		workflows:    o.Workflows,
		tracer:       o.Tracer,
		stream:       newStream(),
		done:         make(chan struct{}),
	}
	s.watch()
	return s
}

// watch makes edits take effect at once: the caches forget what the store
// says changed, whether through this server, the engine or another process.
func (s *Server) watch() {
	s.unwatch = func() {}
	if s.store != nil {
		s.unwatch = s.store.Watch(func(c hookhub.Change) {
			s.sources.changed(c)
			s.routing.Changed(c)
		})
	}
}

// Shutdown ends long-lived responses (event streams) so a graceful HTTP
// shutdown does not wait for them.
func (s *Server) Shutdown() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.unwatch()
	})
}

// route is one entry of the route table. The OpenAPI test walks this table.
type route struct {
	method  string
	path    string
	handler http.HandlerFunc
	public  bool // no API key needed
	quiet   bool // log only failures: high-volume or probe routes
	// role is the least role a caller needs (see hookhub.RoleAllows); every
	// route that is not public names one.
	role string
	// session also admits the console's session cookie (the live tail's
	// EventSource cannot send an Authorization header).
	session bool
	// stream answers for as long as its client listens, so it is not held
	// to the store deadline every other API request has.
	stream bool
}

// Roles as the route table names them.
const (
	viewer    = hookhub.RoleViewer
	responder = hookhub.RoleResponder
	admin     = hookhub.RoleAdmin
)

func (s *Server) routes() []route {
	return []route{
		{method: "GET", path: "/healthz", handler: s.handleHealthz, public: true, quiet: true},
		{method: "GET", path: "/readyz", handler: s.handleReadyz, public: true, quiet: true},
		{method: "GET", path: "/metrics", handler: s.metrics.Handler().ServeHTTP, public: true, quiet: true},
		{method: "GET", path: "/api/openapi.json", handler: s.handleOpenAPI, public: true},

		{method: "GET", path: "/api/v1/sources", handler: s.handleListSources, role: viewer},
		{method: "POST", path: "/api/v1/sources", handler: s.handleCreateSource, role: admin},
		{method: "GET", path: "/api/v1/sources/{id}", handler: s.handleGetSource, role: viewer},
		{method: "PATCH", path: "/api/v1/sources/{id}", handler: s.handleUpdateSource, role: admin},
		{method: "DELETE", path: "/api/v1/sources/{id}", handler: s.handleDeleteSource, role: admin},
		{method: "POST", path: "/api/v1/sources/{id}/rotate-secret", handler: s.handleRotateSourceSecret, role: admin},

		{method: "GET", path: "/api/v1/events", handler: s.handleListEvents, role: viewer},
		{method: "POST", path: "/api/v1/events", handler: s.handlePublishEvent, role: admin},
		{method: "GET", path: "/api/v1/events/stream", handler: s.handleEventStream, role: viewer, session: true, stream: true},
		{method: "GET", path: "/api/v1/events/{id}", handler: s.handleGetEvent, role: viewer},
		{method: "POST", path: "/api/v1/events/{id}/replay", handler: s.handleReplayEvent, role: responder},

		{method: "GET", path: "/api/v1/destinations", handler: s.handleListDestinations, role: viewer},
		{method: "POST", path: "/api/v1/destinations", handler: s.handleCreateDestination, role: admin},
		{method: "GET", path: "/api/v1/destinations/{id}", handler: s.handleGetDestination, role: viewer},
		{method: "PATCH", path: "/api/v1/destinations/{id}", handler: s.handleUpdateDestination, role: admin},
		{method: "DELETE", path: "/api/v1/destinations/{id}", handler: s.handleDeleteDestination, role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/enable", handler: s.handleEnableDestination, role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/pause", handler: s.handlePauseDestination(true), role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/resume", handler: s.handlePauseDestination(false), role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/test", handler: s.handleTestDestination, role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/rotate-secret", handler: s.handleRotateDestinationSecret, role: admin},
		{method: "POST", path: "/api/v1/destinations/{id}/resend-failed", handler: s.handleResendFailed, role: responder},
		{method: "POST", path: "/api/v1/destinations/{id}/transform-preview", handler: s.handleTransformPreview, role: admin},

		{method: "GET", path: "/api/v1/deliveries", handler: s.handleListDeliveries, role: viewer},
		{method: "GET", path: "/api/v1/deliveries/{id}", handler: s.handleGetDelivery, role: viewer},
		{method: "POST", path: "/api/v1/deliveries/{id}/resend", handler: s.handleResendDelivery, role: responder},

		{method: "GET", path: "/api/v1/incidents", handler: s.handleListIncidents, role: viewer},
		{method: "GET", path: "/api/v1/incidents/{id}", handler: s.handleGetIncident, role: viewer},
		{method: "GET", path: "/api/v1/incidents/{id}/timeline", handler: s.handleIncidentTimeline, role: viewer},
		{method: "POST", path: "/api/v1/incidents/{id}/ack", handler: s.incidentAction(hookhub.ActionAcknowledge), role: responder},
		{method: "POST", path: "/api/v1/incidents/{id}/resolve", handler: s.incidentAction(hookhub.ActionResolve), role: responder},
		{method: "POST", path: "/api/v1/incidents/{id}/close", handler: s.incidentAction(hookhub.ActionClose), role: responder},
		{method: "POST", path: "/api/v1/incidents/{id}/reopen", handler: s.incidentAction(hookhub.ActionReopen), role: responder},
		{method: "POST", path: "/api/v1/incidents/{id}/comments", handler: s.handleCommentIncident, role: responder},

		{method: "GET", path: "/api/v1/workflows", handler: s.handleListWorkflows, role: viewer},
		{method: "POST", path: "/api/v1/workflows", handler: s.handleCreateWorkflow, role: admin},
		{method: "POST", path: "/api/v1/workflows/parse-sample", handler: s.handleParseSample, role: viewer},
		{method: "GET", path: "/api/v1/workflows/{id}", handler: s.handleGetWorkflow, role: viewer},
		{method: "PATCH", path: "/api/v1/workflows/{id}", handler: s.handleUpdateWorkflow, role: admin},
		{method: "DELETE", path: "/api/v1/workflows/{id}", handler: s.handleDeleteWorkflow, role: admin},
		{method: "GET", path: "/api/v1/workflows/{id}/runs", handler: s.handleListWorkflowRuns, role: viewer},
		{method: "GET", path: "/api/v1/workflows/{id}/runs/{run_id}", handler: s.handleGetWorkflowRun, role: viewer},
		{method: "POST", path: "/api/v1/workflows/{id}/runs/{run_id}/rerun", handler: s.handleRerunWorkflowRun, role: responder},

		{method: "GET", path: "/api/v1/users", handler: s.handleListUsers, role: admin},
		{method: "POST", path: "/api/v1/users", handler: s.handleCreateUser, role: admin},
		{method: "GET", path: "/api/v1/users/{id}", handler: s.handleGetUser, role: admin},
		{method: "PATCH", path: "/api/v1/users/{id}", handler: s.handleUpdateUser, role: admin},
		{method: "DELETE", path: "/api/v1/users/{id}", handler: s.handleDeleteUser, role: admin},
		{method: "GET", path: "/api/v1/api-keys", handler: s.handleListAPIKeys, role: admin},
		{method: "POST", path: "/api/v1/api-keys", handler: s.handleCreateAPIKey, role: admin},
		{method: "DELETE", path: "/api/v1/api-keys/{id}", handler: s.handleRevokeAPIKey, role: admin},
		{method: "GET", path: "/api/v1/me", handler: s.handleMe, role: viewer},
	}
}

// Mount is a route served beside the API on the same mux: the console's.
// Its handler brings its own chain (session, CSRF, role).
type Mount struct {
	Method, Path string
	Handler      http.Handler
}

// Handler returns the whole HTTP handler: request ID → recovery → body
// deadline → text-only paths and API queries → mux, with each route
// instrumented and, under /api/v1, authenticated; mounts (the console) are
// served from the same mux.
func (s *Server) Handler(mounts ...Mount) http.Handler {
	mux := s.apiMux(false)
	for _, m := range mounts {
		pattern := m.Method + " " + m.Path
		mux.Handle(pattern, s.instrument(pattern, false, m.Handler))
	}
	return web.RequestID(s.log)(web.Recover(web.BodyDeadline(s.bodyTimeout)(web.TextOnly("/api/", s.jsonNoMatch(mux)))))
}

// apiMux routes the API and ingest; inproc (the console's in-process calls)
// starts no server spans. Every API request but a stream has the store
// timeout to answer in, its authentication included, so a hung store
// answers 503 in seconds (ingest bounds each of its own steps).
func (s *Server) apiMux(inproc bool) *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		var h http.Handler = rt.handler
		if !rt.public {
			role := rt.role
			if role == "" {
				role = admin // a route that forgot its role is the safest kind
			}
			h = s.authorize(role, rt.session, h)
			if !rt.stream {
				h = web.StoreDeadline(s.storeTimeout)(h)
			}
		}
		pattern := rt.method + " " + rt.path
		mux.Handle(pattern, s.instrumentTraced(pattern, rt.quiet, !inproc && s.traced(pattern), h))
	}
	// Ingest takes every method: which are allowed is each source's setting.
	mux.Handle("/hooks/", s.instrument("/hooks/", true, s.admit(http.HandlerFunc(s.handleHook))))
	return mux
}

// jsonNoMatch answers requests no route matches with the JSON error shape (404,
// or 405 with the mux's Allow header) instead of the mux's plain text.
func (s *Server) jsonNoMatch(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.header.Get("Allow"))
			web.Error(w, r, hookhub.Errorf(hookhub.EMETHOD, "method %s not allowed", r.Method))
			return
		}
		web.Error(w, r, hookhub.Errorf(hookhub.ENOTFOUND, "no such endpoint"))
	})
}

// headerRecorder captures what the mux's fallback handler would answer.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(code int)        { h.status = code }
