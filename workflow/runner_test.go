package workflow

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/tracing"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openStore(t *testing.T) hookhub.Store {
	t.Helper()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hookhub.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// harness is a store, a clock and a runner on them; the runner may reach
// loopback addresses so tests can use httptest servers.
type harness struct {
	t     *testing.T
	store hookhub.Store
	clock *clock
	r     *Runner
	mu    sync.Mutex
	alert []hookhub.Alert
	// tracer, when set before the runner is made, traces its runs.
	tracer *tracing.Tracer
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, store: openStore(t), clock: &clock{t: time.Now().UTC()}}
	h.r = h.runner()
	return h
}

func (h *harness) runner() *Runner {
	r := New(Options{
		Store: h.store, Now: h.clock.now, PollInterval: 20 * time.Millisecond, Tracer: h.tracer,
		Guard: netguard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}),
		Incidents: func(_ context.Context, sourceID, eventID string, a hookhub.Alert) (*hookhub.AlertOutcome, error) {
			h.mu.Lock()
			h.alert = append(h.alert, a)
			h.mu.Unlock()
			return &hookhub.AlertOutcome{Incident: &hookhub.Incident{ID: "inc_1", Status: hookhub.IncidentTriggered}, Created: true}, nil
		},
	})
	r.Start()
	h.t.Cleanup(func() { r.Stop(context.Background()) })
	return r
}

// workflow stores w with a source of its own and returns it compiled.
func (h *harness) workflow(w *hookhub.Workflow) *Compiled {
	h.t.Helper()
	src := &hookhub.Source{Name: "wf", Type: hookhub.SourceGeneric, Key: "k_" + hookhub.NewID(""), Active: true}
	src.SetDefaults()
	w.OwnsSource, w.Enabled = true, true
	w.SetDefaults()
	if err := h.store.CreateWorkflow(context.Background(), w, src); err != nil {
		h.t.Fatal(err)
	}
	c, ok, err := h.r.Bound(context.Background(), src.ID, time.Second)
	if err != nil || !ok {
		h.t.Fatalf("Bound = %v, %v", ok, err)
	}
	return c
}

// trigger stores a webhook for c's source with its run, hands an async
// run over as the server does, and returns both.
func (h *harness) trigger(c *Compiled, body string) (*hookhub.Event, *hookhub.WorkflowRun) {
	h.t.Helper()
	ev, run := h.store0(c, body)
	if !c.Sync() {
		h.r.Hand(c, run, c.NewTrigger(ev, nil))
	}
	return ev, run
}

// store0 stores a webhook for c's source with its run, handing nothing.
func (h *harness) store0(c *Compiled, body string) (*hookhub.Event, *hookhub.WorkflowRun) {
	h.t.Helper()
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: c.Workflow().SourceID, Type: "payment",
		Status: hookhub.EventAccepted, ReceivedAt: h.clock.now(), Method: "POST",
		Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(body)}
	run := h.r.NewRun(c)
	if err := h.store.SaveEvents(context.Background(), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{run}}}); err != nil {
		h.t.Fatal(err)
	}
	return ev, run
}

// waitRun waits until the run reaches status and returns it with its steps.
func (h *harness) waitRun(id, status string) *hookhub.WorkflowRun {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		h.r.Notify()
		run, err := h.store.GetWorkflowRun(context.Background(), id)
		if err != nil {
			h.t.Fatal(err)
		}
		if run.Status == status {
			return run
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("run %s is %s (error %q), want %s", id, run.Status, run.Error, status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunnerAsync(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var got string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = r.Method + " " + r.URL.Path + " " + r.Header.Get("Authorization") + " " + string(b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"accepted": true}`))
	}))
	defer srv.Close()
	dst := &hookhub.Destination{Name: "d", URL: "https://example.com", Enabled: true}
	if err := h.store.CreateDestination(context.Background(), dst); err != nil {
		t.Fatal(err)
	}
	c := h.workflow(&hookhub.Workflow{Name: "async", Start: "check", Nodes: []hookhub.Node{
		{ID: "check", Type: hookhub.NodeCondition, Expression: "trigger.body.status == 'paid'", Then: "call", Else: "page"},
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: srv.URL + "/orders/{{ trigger.body.order_id }}",
			Headers: map[string]string{"Authorization": "Bearer t0ken"}, Body: `{"paid": {{ trigger.body.order_id }}}`, Next: "send"},
		{ID: "send", Type: hookhub.NodeDeliver, DestinationID: dst.ID, EventType: "order.{{ trigger.body.status }}",
			Payload: `{"order": {{ trigger.body.order_id }}, "answer": {{ nodes.call.output.json }}}`},
		{ID: "page", Type: hookhub.NodeIncident, Title: "Order {{ trigger.body.order_id }} not paid"},
	}})
	_, run := h.trigger(c, `{"status": "paid", "order_id": 42}`)
	done := h.waitRun(run.ID, hookhub.RunSucceeded)
	mu.Lock()
	if want := `POST /orders/42 Bearer t0ken {"paid": 42}`; got != want {
		t.Errorf("request = %q, want %q", got, want)
	}
	mu.Unlock()
	if len(done.Steps) != 3 || done.Steps[1].Node != "call" || done.Steps[2].Node != "send" {
		t.Fatalf("steps = %+v", done.Steps)
	}
	out := done.Steps[2].Output.(map[string]any)
	ev, err := h.store.GetEvent(context.Background(), out["event_id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "order.paid" || string(ev.Body) != `{"order": 42, "answer": {"accepted":true}}` {
		t.Errorf("delivered event %q %s", ev.Type, ev.Body)
	}
	ds, _, err := h.store.ListDeliveries(context.Background(), hookhub.DeliveryFilter{EventID: ev.ID})
	if err != nil || len(ds) != 1 || ds[0].DestinationID != dst.ID {
		t.Errorf("deliveries = %+v, %v", ds, err)
	}

	_, run = h.trigger(c, `{"status": "open", "order_id": 43}`)
	h.waitRun(run.ID, hookhub.RunSucceeded)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.alert) != 1 || h.alert[0].Title != "Order 43 not paid" || h.alert[0].Status != hookhub.AlertFiring {
		t.Errorf("alerts = %+v", h.alert)
	}
}

func TestRunnerFailureNamesNode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	c := h.workflow(&hookhub.Workflow{Name: "fails", Start: "call", Nodes: []hookhub.Node{
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: srv.URL, Next: "after"},
		{ID: "after", Type: hookhub.NodeTransform, Output: `{}`},
	}})
	_, run := h.trigger(c, `{}`)
	done := h.waitRun(run.ID, hookhub.RunFailed)
	if done.FailedNode != "call" || !strings.Contains(done.Error, "answered 502") || len(done.Steps) != 1 ||
		done.Steps[0].Status != hookhub.StepFailed || done.Steps[0].Output.(map[string]any)["status"] != 502.0 {
		t.Errorf("failed run = %+v, steps %+v", done, done.Steps)
	}
}

func TestRunnerRefusesInternalAddresses(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if err := h.r.Stop(context.Background()); err != nil { // it may reach loopback
		t.Fatal(err)
	}
	h.r = New(Options{Store: h.store, Now: h.clock.now, PollInterval: 20 * time.Millisecond})
	h.r.Start()
	t.Cleanup(func() { h.r.Stop(context.Background()) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the guard let a request to loopback through")
	}))
	defer srv.Close()
	c := h.workflow(&hookhub.Workflow{Name: "ssrf", Start: "call", Nodes: []hookhub.Node{
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: srv.URL},
	}})
	_, run := h.trigger(c, `{}`)
	done := h.waitRun(run.ID, hookhub.RunFailed)
	if !strings.Contains(done.Error, "refusing to connect to 127.0.0.1: loopback address") {
		t.Errorf("error = %q", done.Error)
	}
}

func TestRunnerDelayIsDurable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.workflow(&hookhub.Workflow{Name: "later", Start: "wait", Nodes: []hookhub.Node{
		{ID: "wait", Type: hookhub.NodeDelay, Seconds: 3600, Next: "after"},
		{ID: "after", Type: hookhub.NodeTransform, Output: `{"order": {{ trigger.body.order_id }}}`},
	}})
	_, run := h.trigger(c, `{"order_id": 7}`)
	waiting := h.waitRun(run.ID, hookhub.RunWaiting)
	if waiting.Node != "after" || !waiting.DueAt.Equal(h.clock.now().Add(time.Hour).Truncate(time.Microsecond)) {
		t.Fatalf("waiting run: node %q due %v", waiting.Node, waiting.DueAt)
	}
	// A new runner (a restarted process) takes it up once the delay is over.
	if err := h.r.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.r = h.runner()
	time.Sleep(50 * time.Millisecond)
	if got, _ := h.store.GetWorkflowRun(context.Background(), run.ID); got.Status != hookhub.RunWaiting {
		t.Fatalf("run is %s before its delay ended", got.Status)
	}
	h.clock.add(time.Hour)
	done := h.waitRun(run.ID, hookhub.RunSucceeded)
	if len(done.Steps) != 2 || done.Steps[1].Output.(map[string]any)["order"] != 7.0 {
		t.Errorf("steps = %+v", done.Steps)
	}
}

func TestRunNowAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.workflow(seed002())
	tests := []struct {
		body   string
		status int
		answer string
	}{
		{`{"status": "paid", "order_id": 1234}`, 200, `{"result": "success", "order": 1234}`},
		{`{"status": "open", "order_id": 1234}`, 422, `{"result": "failure"}`},
	}
	for _, tt := range tests {
		ev, run := h.trigger(c, tt.body)
		answers := make(chan Answer, 2)
		h.r.RunNow(c, run, c.NewTrigger(ev, nil), func(a Answer) { answers <- a })
		a := <-answers
		if a.Respond == nil || a.Respond.Status != tt.status || string(a.Respond.Body) != tt.answer {
			t.Errorf("answer = %+v", a)
		}
		done := h.waitRun(run.ID, hookhub.RunSucceeded)
		if done.Steps[1].Output.(map[string]any)["answered"] != true {
			t.Errorf("respond step = %+v", done.Steps[1])
		}
		select {
		case extra := <-answers:
			t.Errorf("a second answer: %+v", extra)
		default:
		}
	}
}

func TestRunNowFailureAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.workflow(seed002())
	ev, run := h.trigger(c, `{"order_id": 1}`)
	answers := make(chan Answer, 1)
	h.r.RunNow(c, run, c.NewTrigger(ev, nil), func(a Answer) { answers <- a })
	a := <-answers
	if !a.Failed || a.FailedNode != "check" || !strings.Contains(a.Error, "no such key: status") {
		t.Errorf("answer = %+v", a)
	}
	h.waitRun(run.ID, hookhub.RunFailed)
}

func TestRunnerClaimsRunsNeverHandedOver(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.workflow(&hookhub.Workflow{Name: "lost", Start: "t", Nodes: []hookhub.Node{
		{ID: "t", Type: hookhub.NodeTransform, Output: `{"n": {{ trigger.body.n }}}`},
	}})
	// The process that stored it died before handing it over: once its
	// lease ends, the run is claimed like any queued run.
	_, run := h.store0(c, `{"n": 1}`)
	if run.Status != hookhub.RunRunning || !run.LeaseUntil.Equal(h.clock.now().Add(DefaultLease).Truncate(time.Microsecond)) {
		t.Fatalf("an async run of a started runner is %s until %v", run.Status, run.LeaseUntil)
	}
	h.clock.add(DefaultLease)
	done := h.waitRun(run.ID, hookhub.RunSucceeded)
	if done.Steps[0].Output.(map[string]any)["n"] != 1.0 {
		t.Errorf("steps = %+v", done.Steps)
	}
}
