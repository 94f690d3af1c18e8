package tracing_test

import (
	"context"
	"net/http"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub/tracing"
)

// BenchmarkIngestSpans is what tracing adds to one ingest request: the
// inbound traceparent read, the server span with its verify, route and
// commit children, and the trace context stored with the event. Off is a
// nil Tracer, what Hookhub runs without OTEL_* settings; on samples and
// batches every span to an exporter that drops them.
func BenchmarkIngestSpans(b *testing.B) {
	h := http.Header{}
	h.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	run := func(b *testing.B, tr *tracing.Tracer) {
		b.ReportAllocs()
		for b.Loop() {
			ctx, req := tr.Start(tr.Extract(context.Background(), h), "POST /hooks/", trace.SpanKindServer)
			for _, name := range []string{tracing.SpanVerify, tracing.SpanRoute, tracing.SpanCommit} {
				_, span := tr.Start(ctx, name, trace.SpanKindInternal)
				if span.IsRecording() {
					span.SetAttributes(tracing.AttrEventID.String("evt_1"))
				}
				span.End()
			}
			if tr != nil {
				tracing.Carry(ctx)
			}
			req.End()
		}
	}
	b.Run("off", func(b *testing.B) { run(b, nil) })
	b.Run("on", func(b *testing.B) {
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()),
			sdktrace.WithSampler(sdktrace.AlwaysSample()))
		defer tp.Shutdown(context.Background())
		run(b, tracing.New(tp).Tracer())
	})
}
