package workflow

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

const (
	ingestTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	ingestSpan   = "00f067aa0ba902b7"
	ingestParent = "00-" + ingestTrace + "-" + ingestSpan + "-01"
)

func newTracedHarness(t *testing.T) (*harness, *tracingtest.Recorder) {
	rec := tracingtest.NewRecorder(t)
	h := &harness{t: t, store: openStore(t), clock: &clock{t: time.Now().UTC()}, tracer: rec.Tracer()}
	h.r = h.runner()
	return h, rec
}

// triggerTraced stores a webhook ingested under ingestParent with its run
// and hands the run over.
func (h *harness) triggerTraced(c *Compiled, body string) *hookhub.WorkflowRun {
	h.t.Helper()
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: c.Workflow().SourceID, Type: "payment",
		Status: hookhub.EventAccepted, ReceivedAt: h.clock.now(), Method: "POST",
		Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(body), TraceParent: ingestParent}
	run := h.r.NewRun(c)
	if err := h.store.SaveEvents(context.Background(), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{run}}}); err != nil {
		h.t.Fatal(err)
	}
	h.r.Hand(c, run, c.NewTrigger(ev, nil))
	return run
}

// runSpans waits for the run span of id to end and returns every span.
func runSpans(t *testing.T, rec *tracingtest.Recorder, id string) ([]tracingtest.Span, tracingtest.Span) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		spans := rec.Spans()
		for _, s := range tracingtest.Named(spans, tracing.SpanRun) {
			if s.Attrs[string(tracing.AttrRunID)] == id {
				return spans, s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no span for run %s", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A run is a span under its trigger's ingest span, with a child per step;
// an http_request node sends its step's traceparent, and a deliver node's
// event keeps its step's trace context for the attempts to continue.
func TestRunSpansContinueTheIngestTrace(t *testing.T) {
	t.Parallel()
	h, rec := newTracedHarness(t)
	var mu sync.Mutex
	var sent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent = r.Header.Get("Traceparent")
		mu.Unlock()
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	dst := &hookhub.Destination{Name: "d", URL: "https://example.com", Enabled: true}
	if err := h.store.CreateDestination(context.Background(), dst); err != nil {
		t.Fatal(err)
	}
	c := h.workflow(&hookhub.Workflow{Name: "traced", Start: "call", Nodes: []hookhub.Node{
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: srv.URL, Next: "send"},
		{ID: "send", Type: hookhub.NodeDeliver, DestinationID: dst.ID},
	}})
	run := h.triggerTraced(c, `{"order_id": 42}`)
	done := h.waitRun(run.ID, hookhub.RunSucceeded)
	spans, rs := runSpans(t, rec, run.ID)
	if rs.TraceID != ingestTrace || rs.ParentID != ingestSpan || rs.Attrs[string(tracing.AttrRunStatus)] != hookhub.RunSucceeded {
		t.Errorf("run span: trace %s parent %s attributes %v; want under the ingest span, succeeded", rs.TraceID, rs.ParentID, rs.Attrs)
	}
	steps := map[string]tracingtest.Span{}
	for _, s := range tracingtest.Children(spans, rs) {
		steps[s.Attrs[string(tracing.AttrNodeID)]] = s
	}
	call, send := steps["call"], steps["send"]
	if len(steps) != 2 || call.Name != tracing.SpanStep || call.Attrs[string(tracing.AttrNodeType)] != hookhub.NodeHTTPRequest ||
		send.Attrs[string(tracing.AttrStepStatus)] != hookhub.StepSucceeded {
		t.Fatalf("step spans under the run: %+v", steps)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "00-" + ingestTrace + "-" + call.SpanID + "-01"; sent != want {
		t.Errorf("http_request sent traceparent %q, want %q", sent, want)
	}
	ev, err := h.store.GetEvent(context.Background(), done.Steps[1].Output.(map[string]any)["event_id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if want := "00-" + ingestTrace + "-" + send.SpanID + "-01"; ev.TraceParent != want {
		t.Errorf("delivered event keeps trace context %q, want %q", ev.TraceParent, want)
	}
}

// A failed step fails its span and the run's.
func TestFailedRunSpan(t *testing.T) {
	t.Parallel()
	h, rec := newTracedHarness(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there: the request is refused
	c := h.workflow(&hookhub.Workflow{Name: "fails", Start: "call", Nodes: []hookhub.Node{
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: closed},
	}})
	run := h.triggerTraced(c, `{}`)
	h.waitRun(run.ID, hookhub.RunFailed)
	spans, rs := runSpans(t, rec, run.ID)
	if !rs.Failed || rs.Attrs[string(tracing.AttrRunStatus)] != hookhub.RunFailed || rs.Attrs[string(tracing.AttrNodeID)] != "call" {
		t.Errorf("run span: failed=%v attributes %v; want failed at call", rs.Failed, rs.Attrs)
	}
	kids := tracingtest.Children(spans, rs)
	if len(kids) != 1 || !kids[0].Failed || kids[0].Attrs[string(tracing.AttrStepStatus)] != hookhub.StepFailed {
		t.Errorf("step spans: %+v", kids)
	}
}
