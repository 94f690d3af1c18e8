package delivery_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// The ingest span that stored the test events: trace and span ids.
const (
	ingestTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	ingestSpan   = "00f067aa0ba902b7"
	ingestParent = "00-" + ingestTrace + "-" + ingestSpan + "-01"
)

// traceSink answers with the statuses it is given in turn (then 200) and
// keeps the trace headers of every request.
type traceSink struct {
	mu       sync.Mutex
	statuses []int
	parents  []string
	states   []string
}

func (s *traceSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parents = append(s.parents, r.Header.Get("Traceparent"))
	s.states = append(s.states, r.Header.Get("Tracestate"))
	status := http.StatusOK
	if len(s.statuses) > 0 {
		status, s.statuses = s.statuses[0], s.statuses[1:]
	}
	w.WriteHeader(status)
}

func (s *traceSink) got() (parents, states []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.parents...), append([]string(nil), s.states...)
}

// saveTraced stores one event that carries parent as its ingest's trace
// context, with a delivery to dest due now.
func (h *hub) saveTraced(dest *hookhub.Destination, parent, state string) *hookhub.Delivery {
	h.t.Helper()
	now := h.clock.Now()
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.created", Status: hookhub.EventAccepted,
		ReceivedAt: now, Body: []byte(`{"order":1}`), Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone},
		TraceParent: parent, TraceState: state,
	}
	d := &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: dest.ID,
		Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
	if err := h.store.SaveEvents(context.Background(), []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{d}}}); err != nil {
		h.t.Fatal(err)
	}
	h.eng.Notify()
	return d
}

func withTracer(tr *tracing.Tracer) func(*delivery.Options) {
	return func(o *delivery.Options) { o.Tracer = tr }
}

// Every attempt, retries included, is a client span under the ingest's
// span, and its own context is what the receiver gets as traceparent.
func TestAttemptSpansContinueTheIngestTrace(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	h := newHub(t, withTracer(rec.Tracer()))
	sink := &traceSink{statuses: []int{http.StatusServiceUnavailable}}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	d := h.saveTraced(h.destination(srv.URL), ingestParent, "vendor=abc")
	h.waitAttempts(d.ID, 1)
	h.retryNow()
	if got := h.waitAttempts(d.ID, 2); got.Status != hookhub.DeliverySucceeded {
		t.Fatalf("delivery %s after two attempts, want succeeded", got.Status)
	}
	spans := tracingtest.Named(rec.Spans(), tracing.SpanAttempt)
	parents, states := sink.got()
	if len(spans) != 2 || len(parents) != 2 {
		t.Fatalf("%d attempt spans and %d requests, want 2 of each", len(spans), len(parents))
	}
	logged := h.attempts(d.ID) // newest first
	for i, s := range spans {
		n := s.Attrs[string(tracing.AttrAttemptNumber)]
		if s.TraceID != ingestTrace || s.ParentID != ingestSpan || s.Kind != trace.SpanKindClient {
			t.Errorf("attempt %s: trace %s parent %s kind %v, want trace %s under %s, client", n, s.TraceID, s.ParentID, s.Kind, ingestTrace, ingestSpan)
		}
		if s.Attrs[string(tracing.AttrDeliveryID)] != d.ID || n != []string{"1", "2"}[i] {
			t.Errorf("attempt span %d attributes %v", i, s.Attrs)
		}
		want := "00-" + ingestTrace + "-" + s.SpanID + "-01"
		if parents[i] != want || states[i] != "vendor=abc" {
			t.Errorf("request %d carried traceparent %q tracestate %q, want %q and vendor=abc", i, parents[i], states[i], want)
		}
		if got := logged[len(logged)-1-i].RequestHeaders["Traceparent"]; len(got) != 1 || got[0] != want {
			t.Errorf("attempt log %d shows traceparent %v, want %s", i, got, want)
		}
	}
	if !spans[0].Failed || !strings.Contains(spans[0].Message, "503") || spans[1].Failed {
		t.Errorf("span statuses: first failed=%v %q, second failed=%v", spans[0].Failed, spans[0].Message, spans[1].Failed)
	}
}

// An event stored without a trace context (tracing was off at ingest) gets
// an attempt span of its own, sent on as usual.
func TestAttemptWithoutIngestTraceIsARoot(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	h := newHub(t, withTracer(rec.Tracer()))
	sink := &traceSink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	d := h.saveTraced(h.destination(srv.URL), "", "")
	h.waitAttempts(d.ID, 1)
	s := tracingtest.One(t, rec.Spans(), tracing.SpanAttempt, string(tracing.AttrDeliveryID), d.ID)
	parents, _ := sink.got()
	if s.ParentID != "" || len(parents) != 1 || parents[0] != "00-"+s.TraceID+"-"+s.SpanID+"-01" {
		t.Errorf("span parent %q, request traceparent %v; want a root span sent on", s.ParentID, parents)
	}
}

// A transform runs in a span of its own under the attempt's.
func TestTransformSpanUnderItsAttempt(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	h := newHub(t, withTracer(rec.Tracer()))
	srv := httptest.NewServer(&traceSink{})
	defer srv.Close()
	dest := h.destination(srv.URL, func(d *hookhub.Destination) { d.Transform = `{"text": event.type}` })
	d := h.saveTraced(dest, ingestParent, "")
	if got := h.waitAttempts(d.ID, 1); got.Status != hookhub.DeliverySucceeded {
		t.Fatalf("delivery %s: %s", got.Status, got.LastError)
	}
	spans := rec.Spans()
	at := tracingtest.One(t, spans, tracing.SpanAttempt, string(tracing.AttrDeliveryID), d.ID)
	tr := tracingtest.One(t, spans, tracing.SpanTransform, "", "")
	if tr.ParentID != at.SpanID || tr.TraceID != ingestTrace {
		t.Errorf("transform span under %s in trace %s, want under the attempt %s", tr.ParentID, tr.TraceID, at.SpanID)
	}
}

// Off, nothing is sent: not even the trace context an event kept from
// when tracing was on.
func TestTracingOffSendsNoTraceContext(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	sink := &traceSink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	d := h.saveTraced(h.destination(srv.URL), ingestParent, "vendor=abc")
	h.waitAttempts(d.ID, 1)
	parents, states := sink.got()
	if len(parents) != 1 || parents[0] != "" || states[0] != "" {
		t.Errorf("requests carried traceparent %v tracestate %v, want none", parents, states)
	}
	if hs := h.attempts(d.ID)[0].RequestHeaders; hs["Traceparent"] != nil {
		t.Errorf("attempt log shows a traceparent: %v", hs)
	}
}
