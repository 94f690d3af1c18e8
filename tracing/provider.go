// Package tracing is Hookhub's OpenTelemetry tracing: a provider that
// exports spans over OTLP as the standard OTEL_* environment variables say,
// the tracers the server, the delivery engine and the workflow runner start
// their spans with, and the W3C trace context they carry in and out.
//
// Off (no OTEL_* endpoint set) there is no provider at all: every Tracer is
// nil, its spans are a shared no-op value, nothing is read from or written
// to requests, events or messages, and nothing is allocated.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName names the instrumentation scope of every Hookhub span.
const ScopeName = "github.com/hookhub/hookhub"

// Provider makes Hookhub's tracers. A nil *Provider is tracing off: its
// tracers are nil and its Shutdown does nothing.
type Provider struct {
	tp       trace.TracerProvider
	shutdown func(context.Context) error
}

// Start returns the provider the process's OTEL_* variables describe: nil when they turn tracing off, else one exporting over OTLP
// in batches. version is the service.version resource attribute;
// service.name is "hookhub" unless OTEL_SERVICE_NAME or
// OTEL_RESOURCE_ATTRIBUTES say otherwise. Export errors are logged to log,
// at most once a minute.
//
// The exporter and the SDK read the rest of the variables themselves, as
// OpenTelemetry specifies.
func Start(ctx context.Context, version string, log *slog.Logger) (*Provider, error) {
	s, err := ReadSettings(os.Getenv)
	if err != nil || !s.On {
		return nil, err
	}
	exp, err := exporter(ctx, s.Protocol)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName("hookhub"), semconv.ServiceVersion(version)),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithFromEnv(), // last: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	// The SDK reports export failures through its one global handler.
	otel.SetErrorHandler(&limitedLog{log: log, every: time.Minute})
	return &Provider{tp: tp, shutdown: tp.Shutdown}, nil
}

func exporter(ctx context.Context, protocol string) (sdktrace.SpanExporter, error) {
	if protocol == ProtocolGRPC {
		return otlptracegrpc.New(ctx)
	}
	return otlptracehttp.New(ctx)
}

// New wraps a tracer provider the caller built (tests record spans with
// one); nil is tracing off. Shutdown leaves tp to its owner.
func New(tp trace.TracerProvider) *Provider {
	if tp == nil {
		return nil
	}
	return &Provider{tp: tp}
}

// Tracer returns the tracer Hookhub's spans start from; nil when p is.
func (p *Provider) Tracer() *Tracer {
	if p == nil {
		return nil
	}
	return &Tracer{t: p.tp.Tracer(ScopeName)}
}

// Shutdown exports the spans still buffered and stops the exporter, within
// ctx. Spans started afterwards are dropped.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p == nil || p.shutdown == nil {
		return nil
	}
	return p.shutdown(ctx)
}

// limitedLog logs the SDK's errors (a collector that is down fails every
// batch) at most once per interval, counting the ones it kept quiet.
type limitedLog struct {
	log   *slog.Logger
	every time.Duration

	mu      sync.Mutex
	last    time.Time
	dropped int
}

func (l *limitedLog) Handle(err error) {
	l.mu.Lock()
	now := time.Now()
	if !l.last.IsZero() && now.Sub(l.last) < l.every {
		l.dropped++
		l.mu.Unlock()
		return
	}
	dropped := l.dropped
	l.last, l.dropped = now, 0
	l.mu.Unlock()
	l.log.Warn("tracing: exporting spans failed", "err", err, "similar_errors_not_logged", dropped)
}
