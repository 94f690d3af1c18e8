package tracing_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

const inbound = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestExtractContinuesTheCallersTrace(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	tr := rec.Tracer()
	h := http.Header{}
	h.Set("Traceparent", inbound)
	h.Set("Tracestate", "vendor=abc")
	ctx, span := tr.Start(tr.Extract(context.Background(), h), "ingest", trace.SpanKindServer)
	parent, state := tracing.Carry(ctx)
	span.End()
	s := tracingtest.One(t, rec.Spans(), "ingest", "", "")
	if s.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || s.ParentID != "00f067aa0ba902b7" {
		t.Errorf("span trace %s parent %s, want the inbound trace and span", s.TraceID, s.ParentID)
	}
	if want := "00-" + s.TraceID + "-" + s.SpanID + "-01"; parent != want || state != "vendor=abc" {
		t.Errorf("Carry = %q, %q; want %q, vendor=abc", parent, state, want)
	}
}

func TestResumeParentsUnderTheStoredSpan(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	tr := rec.Tracer()
	ctx, ingest := tr.Start(context.Background(), "ingest", trace.SpanKindServer)
	parent, state := tracing.Carry(ctx)
	ingest.End()
	_, attempt := tr.Start(tr.Resume(context.Background(), parent, state), "attempt", trace.SpanKindClient)
	attempt.End()
	spans := rec.Spans()
	in, at := tracingtest.One(t, spans, "ingest", "", ""), tracingtest.One(t, spans, "attempt", "", "")
	if at.TraceID != in.TraceID || at.ParentID != in.SpanID {
		t.Errorf("attempt in trace %s under %s, want trace %s under %s", at.TraceID, at.ParentID, in.TraceID, in.SpanID)
	}
}

func TestMalformedTraceparentStartsANewTrace(t *testing.T) {
	t.Parallel()
	rec := tracingtest.NewRecorder(t)
	tr := rec.Tracer()
	for _, bad := range []string{"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"} {
		h := http.Header{}
		h.Set("Traceparent", bad)
		_, span := tr.Start(tr.Extract(context.Background(), h), "ingest "+bad, trace.SpanKindServer)
		span.End()
		if s := tracingtest.One(t, rec.Spans(), "ingest "+bad, "", ""); s.ParentID != "" || strings.HasPrefix(bad, "00-"+s.TraceID) {
			t.Errorf("traceparent %q: span has parent %q in trace %s, want a new root", bad, s.ParentID, s.TraceID)
		}
	}
}

func TestOffCarriesNothing(t *testing.T) {
	t.Parallel()
	var tr *tracing.Tracer // what a nil Provider gives
	if (*tracing.Provider)(nil).Tracer() != nil {
		t.Fatal("a nil provider made a tracer")
	}
	h := http.Header{}
	h.Set("Traceparent", inbound)
	ctx := tr.Extract(context.Background(), h)
	ctx = tr.Resume(ctx, inbound, "")
	ctx, span := tr.Start(ctx, "ingest", trace.SpanKindServer)
	defer span.End()
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Error("tracing off started a real span")
	}
	if parent, state := tracing.Carry(ctx); parent != "" || state != "" {
		t.Errorf("tracing off carries %q, %q", parent, state)
	}
	if err := (*tracing.Provider)(nil).Shutdown(context.Background()); err != nil {
		t.Errorf("shutdown of no provider: %v", err)
	}
}
