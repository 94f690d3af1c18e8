package tracing_test

import (
	"context"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// The provider exports to the collector the OTEL_* variables name, under
// the service name they give, and Shutdown flushes what is buffered.
func TestStartExportsAsTheEnvironmentSays(t *testing.T) {
	c := tracingtest.NewCollector()
	defer c.Close()
	c.Export(t)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "600000") // only Shutdown flushes
	t.Setenv("OTEL_SERVICE_NAME", "hookhub-test")
	p, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler))
	if err != nil || p == nil {
		t.Fatalf("Start = %v, %v", p, err)
	}
	_, span := p.Tracer().Start(context.Background(), "work", trace.SpanKindInternal)
	span.End()
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := tracingtest.One(t, c.Spans(t), "work", "", "")
	if s.Service != "hookhub-test" {
		t.Errorf("service.name %q, want hookhub-test", s.Service)
	}
}

func TestStartOffWithoutEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	p, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler))
	if err != nil || p != nil {
		t.Fatalf("Start = %v, %v; want no provider", p, err)
	}
}

func TestStartRefusesABadSetting(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	t.Setenv("OTEL_TRACES_SAMPLER", "sometimes")
	if _, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a bad sampler started")
	}
}
