package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/limit"
	"github.com/hookhub/hookhub/workflow"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's Prometheus collectors in its own registry (no
// global state), so tests can start many servers in one process.
type Metrics struct {
	Registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	Ingested  *prometheus.CounterVec
	Incidents *prometheus.CounterVec
	runs      *prometheus.CounterVec
	steps     *prometheus.HistogramVec
}

// NewMetrics registers the Go runtime, process and HTTP collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookhub_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hookhub_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		Ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookhub_ingest_requests_total", Help: "Webhook requests received, by outcome (accepted, duplicate, rejected).",
		}, []string{"outcome"}),
		Incidents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookhub_incident_changes_total", Help: "Incident changes caused by alerts, by event (incident.triggered, incident.resolved, …).",
		}, []string{"event"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookhub_workflow_runs_total", Help: "Workflow runs finished, by status (succeeded, failed).",
		}, []string{"status"}),
		steps: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hookhub_workflow_step_duration_seconds", Help: "Workflow steps run, by node type and status, and how long each took.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5, 30},
		}, []string{"type", "status"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.Ingested, m.Incidents, m.runs, m.steps,
	)
	return m
}

func (m *Metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// WorkflowObserver returns the hooks a workflow runner reports finished
// runs and steps to.
func (m *Metrics) WorkflowObserver() workflow.Observer {
	return workflow.Observer{
		Run: func(status string) { m.runs.WithLabelValues(status).Inc() },
		Step: func(typ, status string, d time.Duration) {
			m.steps.WithLabelValues(typ, status).Observe(d.Seconds())
		},
	}
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// watchCommitter exports the group committer's running totals, read when
// scraped: commits and the events they stored give the mean batch, which
// says how much each fsync is shared.
func (m *Metrics) watchCommitter(c *ingest.Committer) {
	stat := func(f func(ingest.CommitterStats) int64) func() float64 {
		return func() float64 { return float64(f(c.Stats())) }
	}
	m.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hookhub_ingest_commits_total", Help: "Transactions the group committer ran to store webhooks (one fsync each).",
		}, stat(func(s ingest.CommitterStats) int64 { return s.Batches })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hookhub_ingest_committed_events_total", Help: "Events the group committer took into those transactions.",
		}, stat(func(s ingest.CommitterStats) int64 { return s.Events })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hookhub_ingest_largest_commit_events", Help: "The most events one of those transactions took since start.",
		}, stat(func(s ingest.CommitterStats) int64 { return s.LargestBatch })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hookhub_ingest_commit_failures_total", Help: "Events whose sender was answered an error because they could not be stored.",
		}, stat(func(s ingest.CommitterStats) int64 { return s.Failed })),
	)
}

// watchGate exports what the ingest gate holds, read when scraped.
func (m *Metrics) watchGate(g *limit.Gate) {
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hookhub_ingest_inflight_requests", Help: "Webhook requests being handled now.",
		}, func() float64 { n, _ := g.InFlight(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hookhub_ingest_inflight_bytes", Help: "Webhook body bytes reserved by requests being handled now.",
		}, func() float64 { _, b := g.InFlight(); return float64(b) }),
	)
}
